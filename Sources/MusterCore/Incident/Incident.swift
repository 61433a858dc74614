import Foundation

/// An incident: the record responders build from the first alert to the closed post-incident file.
public struct Incident: Codable, Sendable, Equatable {
    public var id: UUID
    /// Sequence number within `year`, given by the store.
    public var number: Int
    /// The human id, `INC-<year>-<sequence>`.
    public var reference: String
    public var title: String
    /// The name customers read on the status page; nil to use the title.
    public var publicName: String? = nil
    public var summary: String
    public var services: [String]
    public var severity: String
    public var status: IncidentStatus
    public var impact: Impact
    public var roles: [RoleAssignment]
    public var declaredBy: String
    public var impactStartedAt: Date?
    public var detectedAt: Date
    public var acknowledgedAt: Date?
    public var mitigatedAt: Date?
    public var resolvedAt: Date?
    public var closedAt: Date?
    public var rootCause: String?
    public var resolution: String?
    public var reopenCount: Int
    public var updatedAt: Date
    /// For incidents opened by alerts: the grouping key later alerts must share to join.
    public var groupKey: String?
    /// How many alerts its senders last said they left out of their notifications to this
    /// incident (Alertmanager's `max_alerts`), by the sender's group (its `groupKey`); nil while
    /// every notification holds all its alerts.
    public var alertsLeftOut: [String: Int]? = nil
    /// What it has told, and promised, each audience; nil before anything was (and in records
    /// written before updates existed).
    public var communication: CommunicationRecord? = nil
    /// Where responders talk: the incident's chat channel, as a link.
    public var channel: String? = nil
    /// Where responders call in: the incident's bridge, as a link.
    public var bridge: String? = nil

    /// The human id for a sequence number in a year: `INC-2026-0042`.
    public static func reference(year: Int, number: Int) -> String {
        "INC-\(year)-\(String(format: "%04d", number))"
    }

    /// The year this incident is numbered in, read from its reference: detection may be recorded
    /// in an earlier year than the one the incident was declared in.
    public var numberingYear: Int {
        Int(reference.dropFirst(4).prefix(4)) ?? Self.year(of: detectedAt)
    }

    /// The UTC calendar year an incident detected at `date` is numbered in.
    public static func year(of date: Date) -> Int {
        RFC3339.year(of: date)
    }

    /// The people holding `role`, in the order they were assigned.
    public func holders(of role: IncidentRole) -> [String] {
        roles.filter { $0.role == role }.map(\.assignee)
    }
}
