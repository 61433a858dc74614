import Foundation

/// What a stakeholder group hears of the incidents it is subscribed to.
public enum StakeholderMode: String, StrictStringEnum {
    /// The declaration, every internal update, severity changes, resolution and reopening.
    case updates
    /// An executive summary only: the declaration, severity changes, resolution (with duration
    /// and impact) and reopening.
    case summary
    /// The declaration only: an announcement channel, for a service or (with no services) for all.
    case announcements
}

/// People outside the response who are kept informed (leadership, support), or an announcement
/// channel: who they are reached at, and which incidents they hear of.
public struct StakeholderGroup: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var mode: StakeholderMode
    /// Where the group's messages go: email addresses, signed webhooks, Slack-compatible webhooks.
    public var members: [ContactMethod]
    /// The services whose incidents the group hears of; empty for every service.
    public var services: [String]
    /// The least severe level the group hears of; nil for every level.
    public var minimumSeverity: String?
    public var createdAt: Date
    public var updatedAt: Date

    public static let maxMembers = 50

    public init(
        id: String, name: String, mode: StakeholderMode, members: [ContactMethod], services: [String],
        minimumSeverity: String?, scheme: SeverityScheme, createdAt: Date, updatedAt: Date? = nil
    ) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 120)
        guard (1...Self.maxMembers).contains(members.count) else {
            throw .invalidField(field: "members", reason: "must list 1–\(Self.maxMembers) contacts (email, webhook or slack).")
        }
        let addresses = members.map { "\($0.kind.rawValue) \($0.address.lowercased())" }
        if let repeated = addresses.first(where: { address in addresses.filter { $0 == address }.count > 1 }) {
            throw .invalidField(field: "members", reason: "name \(repeated) twice; each contact hears once.")
        }
        if let minimumSeverity, scheme.rank(of: minimumSeverity) == nil {
            throw .invalidField(
                field: "minimumSeverity",
                reason: "is '\(minimumSeverity.prefix(40))', which is not a level; use one of \(scheme.names.joined(separator: ", ")).")
        }
        self.id = id
        self.name = trimmed
        self.mode = mode
        self.members = members
        self.services = try ServiceSlug.validateList(services, field: "services")
        self.minimumSeverity = minimumSeverity
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Whether the group hears of an incident on these services at this severity.
    public func follows(services incidentServices: [String], severity: String, scheme: SeverityScheme) -> Bool {
        guard services.isEmpty || services.contains(where: incidentServices.contains) else { return false }
        guard let minimumSeverity else { return true }
        guard let threshold = scheme.rank(of: minimumSeverity), let rank = scheme.rank(of: severity) else { return false }
        return rank <= threshold
    }

    /// A member to be, keeping the id it has when this group already holds the same contact.
    public func member(kind: ContactMethod.Kind, address: String) throws(IncidentError) -> ContactMethod {
        let kept = members.first { $0.kind == kind && $0.address == address }
        return try ContactMethod(id: kept?.id ?? UUID(), kind: kind, address: address)
    }

    /// The group as someone who may not see secrets is shown it: webhook addresses masked.
    public var masked: StakeholderGroup {
        var copy = self
        copy.members = members.map(\.masked)
        return copy
    }
}
