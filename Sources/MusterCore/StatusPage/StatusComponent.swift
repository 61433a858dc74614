import Foundation

/// A part of the product customers see on the status page, linked to the services behind it.
public struct StatusComponent: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    /// The group it is shown in, when grouped.
    public var groupID: String?
    public var position: Int
    /// The services whose published incidents affect it.
    public var services: [String]
    public var showUptime: Bool
    /// A status set by hand, which wins over the derived one until it ends.
    public var override: StatusOverride?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, description: String = "", groupID: String? = nil, position: Int = 0, services: [String],
        showUptime: Bool = true, override: StatusOverride? = nil, createdAt: Date, updatedAt: Date? = nil
    ) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 120)
        try TextRules.limit(description, field: "description", max: 1_000)
        self.id = id
        self.name = trimmed
        self.description = description
        self.groupID = groupID
        self.position = position
        self.services = try ServiceSlug.validateList(services, field: "services")
        self.showUptime = showUptime
        self.override = override
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// A component's status set by hand: who set it, why, and until when (nil: until cleared).
public struct StatusOverride: Codable, Sendable, Equatable {
    public var status: ComponentStatus
    public var setBy: String
    public var reason: String
    public var setAt: Date
    public var until: Date?

    public init(status: ComponentStatus, setBy: String, reason: String, setAt: Date, until: Date?) {
        self.status = status
        self.setBy = setBy
        self.reason = reason
        self.setAt = setAt
        self.until = until
    }

    /// Whether it still holds at `now`.
    public func holds(at now: Date) -> Bool { until.map { now < $0 } ?? true }
}
