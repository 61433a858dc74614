import Foundation

/// Where a scheduled maintenance stands, with Statuspage's names.
public enum MaintenanceState: String, StrictStringEnum {
    case scheduled
    case inProgress = "in_progress"
    case verifying
    case completed

    /// Its place in the one order a maintenance moves through.
    var step: Int {
        switch self {
        case .scheduled: 0
        case .inProgress: 1
        case .verifying: 2
        case .completed: 3
        }
    }

    /// Whether the components it names are under maintenance meanwhile.
    public var holdsComponents: Bool { self == .inProgress || self == .verifying }
}

/// One message of a maintenance, posted when it moved to `state` (or written meanwhile).
public struct MaintenanceUpdate: Codable, Sendable, Equatable {
    public var state: MaintenanceState
    public var body: String
    public var at: Date
    public var author: String

    public init(state: MaintenanceState, body: String, at: Date, author: String) {
        self.state = state
        self.body = body
        self.at = at
        self.author = author
    }
}

/// Planned work on some components, announced on the status page: it moves
/// `scheduled → in_progress → verifying → completed` by itself at its times, and by hand.
public struct Maintenance: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var components: [String]
    public var startsAt: Date
    public var endsAt: Date
    /// How long it stays `verifying` after its end before it completes by itself; 0 skips verifying.
    public var verifySeconds: Int
    public var state: MaintenanceState
    /// Every message, oldest first; the first is the announcement.
    public var updates: [MaintenanceUpdate]
    /// The silence made for it, holding back the alerts of its services over the same window.
    public var silenceID: UUID?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public static let maxComponents = 50
    public static let maxLength: TimeInterval = 31 * 86_400
    public static let defaultVerifySeconds = 900

    public init(
        id: UUID, title: String, message: String, components: [String], startsAt: Date, endsAt: Date,
        verifySeconds: Int = Maintenance.defaultVerifySeconds, createdBy: String, at now: Date
    ) throws(IncidentError) {
        let name = title.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(name, field: "title", max: 200)
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(text, field: "message", max: 5_000)
        guard (1...Self.maxComponents).contains(components.count) else {
            throw .invalidField(field: "components", reason: "must name 1–\(Self.maxComponents) status page components.")
        }
        guard Set(components).count == components.count else {
            throw .invalidField(field: "components", reason: "names a component twice.")
        }
        try Self.checkWindow(startsAt: startsAt, endsAt: endsAt, now: now)
        guard (0...86_400).contains(verifySeconds) else {
            throw .invalidField(field: "verifySeconds", reason: "must be 0–86400 seconds (at most a day of verifying).")
        }
        self.id = id
        self.title = name
        self.components = components
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.verifySeconds = verifySeconds
        self.state = .scheduled
        self.updates = [MaintenanceUpdate(state: .scheduled, body: text, at: now, author: createdBy)]
        self.createdBy = createdBy
        self.createdAt = now
        self.updatedAt = now
    }

    static func checkWindow(startsAt: Date, endsAt: Date, now: Date) throws(IncidentError) {
        guard endsAt > startsAt else { throw .invalidField(field: "endsAt", reason: "must be later than startsAt.") }
        guard endsAt > now else {
            throw .invalidField(field: "endsAt", reason: "is \(endsAt.iso8601), already past: announce only work still to come.")
        }
        guard endsAt.timeIntervalSince(startsAt) <= maxLength else {
            throw .invalidField(field: "endsAt", reason: "is more than 31 days after startsAt; announce long work in parts.")
        }
    }

    /// The announcement customers read first.
    public var message: String { updates.first?.body ?? "" }

    /// When it moves on by itself from `state`, or nil once completed.
    public var nextMoveAt: Date? {
        switch state {
        case .scheduled: startsAt
        case .inProgress: endsAt
        case .verifying: endsAt.addingTimeInterval(Double(verifySeconds))
        case .completed: nil
        }
    }

    /// Makes the moves that fall due by `now`, each recorded at the time it fell due; returns the
    /// updates they post. A server that was down catches up in one call.
    public mutating func advance(at now: Date) -> [MaintenanceUpdate] {
        var posted: [MaintenanceUpdate] = []
        while let due = nextMoveAt, due <= now {
            let next: MaintenanceState =
                switch state {
                case .scheduled: .inProgress
                case .inProgress: verifySeconds > 0 ? .verifying : .completed
                default: .completed
                }
            let update = MaintenanceUpdate(state: next, body: Self.standardText(for: next), at: due, author: "muster")
            state = next
            updates.append(update)
            posted.append(update)
        }
        if !posted.isEmpty { updatedAt = now }
        return posted
    }

    /// Moves it on by hand: forward only, skipping steps as needed; `body` says what happened, or a
    /// standard sentence does.
    public mutating func move(to next: MaintenanceState, body: String?, by author: String, at now: Date) throws(IncidentError)
        -> MaintenanceUpdate
    {
        guard next.step > state.step else {
            throw .invalidField(
                field: "state",
                reason: "cannot go from \(state.rawValue) to \(next.rawValue): a maintenance only moves forward.")
        }
        let text = body?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try TextRules.limit(text, field: "message", max: 5_000)
        let update = MaintenanceUpdate(state: next, body: text.isEmpty ? Self.standardText(for: next) : text, at: now, author: author)
        state = next
        updates.append(update)
        updatedAt = now
        return update
    }

    /// Posts a message without moving it on (a delay, a progress report).
    public mutating func post(_ body: String, by author: String, at now: Date) throws(IncidentError) -> MaintenanceUpdate {
        guard state != .completed else { throw .invalidField(field: "message", reason: "cannot be posted: the maintenance is completed.") }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(text, field: "message", max: 5_000)
        let update = MaintenanceUpdate(state: state, body: text, at: now, author: author)
        updates.append(update)
        updatedAt = now
        return update
    }

    /// Moves the window of a maintenance that has not started yet.
    public mutating func reschedule(startsAt: Date, endsAt: Date, at now: Date) throws(IncidentError) {
        guard state == .scheduled else {
            throw .invalidField(field: "startsAt", reason: "cannot change: the maintenance is \(state.rawValue).")
        }
        try Self.checkWindow(startsAt: startsAt, endsAt: endsAt, now: now)
        self.startsAt = startsAt
        self.endsAt = endsAt
        updatedAt = now
    }

    /// What is posted when it moves to `state` and no one wrote anything.
    public static func standardText(for state: MaintenanceState) -> String {
        switch state {
        case .scheduled: "This maintenance is planned."
        case .inProgress: "The maintenance has started. The components named here may be unavailable or slow until it ends."
        case .verifying: "The work is done; we are checking that everything runs as it should."
        case .completed: "The maintenance is complete and everything is running normally."
        }
    }
}
