import Foundation

/// A way to reach a person.
public struct ContactMethod: Codable, Sendable, Equatable {
    public enum Kind: String, StrictStringEnum {
        case email, webhook, slack
    }

    public var id: UUID
    public var kind: Kind
    /// An email address, or an http(s) URL for webhooks and Slack-compatible incoming webhooks.
    public var address: String
    public var verifiedAt: Date?

    public init(id: UUID, kind: Kind, address: String, verifiedAt: Date? = nil) throws(IncidentError) {
        switch kind {
        case .email:
            guard EmailAddress.isPlain(address) else {
                throw .invalidField(
                    field: "address",
                    reason:
                        "'\(address.prefix(80).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())' is not a plain email address such as ann@example.com."
                )
            }
        case .webhook, .slack:
            guard let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                address.count <= 2_048
            else {
                throw .invalidField(field: "address", reason: "must be an http or https URL for a \(kind.rawValue) contact.")
            }
        }
        self.id = id
        self.kind = kind
        self.address = address
        self.verifiedAt = verifiedAt
    }
}

/// Someone who can be paged.
public struct User: Codable, Sendable, Equatable {
    /// Slug such as `ann`.
    public var id: String
    public var name: String
    public var email: String
    public var timeZone: String
    public var contactMethods: [ContactMethod]
    public var createdAt: Date
    /// Since when the person is paged no more; nil while they are on the roster.
    public var deactivatedAt: Date?
    /// What the person may do when signed in; people stored before roles existed are responders.
    public var role: Role

    /// Whether the person may be paged.
    public var isActive: Bool { deactivatedAt == nil }

    public init(
        id: String, name: String, email: String, timeZone: String, contactMethods: [ContactMethod] = [], createdAt: Date,
        role: Role = .responder
    ) throws(IncidentError) {
        self.role = role
        try ServiceSlug.validate(id, field: "id")
        try TextRules.require(name, field: "name", max: 120)
        _ = try ContactMethod(id: UUID(), kind: .email, address: email)
        try TextRules.timeZone(timeZone, field: "timeZone")
        self.id = id
        self.name = name
        self.email = email
        self.timeZone = timeZone
        self.contactMethods = contactMethods
        self.createdAt = createdAt
    }
}

extension User {
    private enum CodingKeys: String, CodingKey {
        case id, name, email, timeZone, contactMethods, createdAt, deactivatedAt, role
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        email = try container.decode(String.self, forKey: .email)
        timeZone = try container.decode(String.self, forKey: .timeZone)
        contactMethods = try container.decode([ContactMethod].self, forKey: .contactMethods)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        deactivatedAt = try container.decodeIfPresent(Date.self, forKey: .deactivatedAt)
        role = try container.decodeIfPresent(Role.self, forKey: .role) ?? .responder
    }
}

/// A group of people who share on-call duty.
public struct Team: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var members: [String]
    public var createdAt: Date

    public init(id: String, name: String, members: [String], createdAt: Date) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        try TextRules.require(name, field: "name", max: 120)
        self.id = id
        self.name = name
        self.members = try ServiceSlug.validateList(members, field: "members")
        self.createdAt = createdAt
    }
}
