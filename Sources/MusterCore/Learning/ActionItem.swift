import Foundation

/// How urgent an action item is, as the process names it: P0 first.
public enum ActionPriority: String, StrictStringEnum, Comparable {
    case p0 = "P0"
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"

    public static func < (lhs: ActionPriority, rhs: ActionPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where an action item stands.
public enum ActionStatus: String, StrictStringEnum {
    case open
    case inProgress = "in_progress"
    case done
    case wontDo = "wont_do"

    /// Whether it still needs doing.
    public var isOpen: Bool { self == .open || self == .inProgress }
}

/// A change a team commits to after an incident: who does it, by when, how urgent, and where it
/// is tracked; followed until done (or consciously dropped, with the reason).
public struct ActionItem: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var description: String
    public var owner: String
    public var dueAt: Date?
    public var priority: ActionPriority
    public var status: ActionStatus
    /// Why it will not be done, for `wont_do`.
    public var reason: String?
    /// Where it is tracked (an issue tracker's link).
    public var ticketURL: String?
    public var incidentID: UUID?
    public var incidentReference: String?
    public var postmortemID: UUID?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var doneAt: Date?
    /// Whether the owner heard that the due date nears, and when last that it passed.
    public var remindedDueSoon: Bool?
    public var lastOverdueReminderAt: Date?

    public init(
        id: UUID, title: String, description: String = "", owner: String, dueAt: Date?, priority: ActionPriority,
        ticketURL: String? = nil, incident: Incident? = nil, postmortemID: UUID? = nil, by author: String, at now: Date
    ) throws(IncidentError) {
        let name = title.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(name, field: "title", max: 200)
        try TextRules.limit(description, field: "description", max: 10_000)
        try TextRules.require(owner, field: "owner", max: 120)
        self.id = id
        self.title = name
        self.description = description
        self.owner = owner
        self.dueAt = dueAt
        self.priority = priority
        status = .open
        self.ticketURL = try ticketURL.flatMap { link throws(IncidentError) in try WarRoom.link(link, field: "ticketURL") }
        incidentID = incident?.id
        incidentReference = incident?.reference
        self.postmortemID = postmortemID
        createdBy = author
        createdAt = now
        updatedAt = now
    }

    /// Moves it to `status`; `wont_do` needs the reason.
    public mutating func move(to next: ActionStatus, reason: String?, at now: Date) throws(IncidentError) {
        let why = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if next == .wontDo {
            try TextRules.require(why, field: "reason", max: 2_000)
            self.reason = why
        } else {
            self.reason = nil
        }
        status = next
        doneAt = next == .done ? now : nil
        updatedAt = now
    }

    /// Whether it is open and its due date has passed.
    public func isOverdue(at now: Date) -> Bool { status.isOpen && (dueAt.map { $0 < now } ?? false) }

    /// Whether it was done by its due date (nil: not done, or no due date).
    public var doneOnTime: Bool? {
        guard status == .done, let doneAt, let dueAt else { return nil }
        return doneAt <= dueAt
    }
}
