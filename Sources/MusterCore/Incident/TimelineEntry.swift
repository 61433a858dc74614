import Foundation

/// The kinds of events an incident timeline records.
public enum TimelineKind: String, StrictStringEnum {
    case declared
    case statusChange = "status_change"
    case severityChange = "severity_change"
    case roleChange = "role_change"
    case impactChange = "impact_change"
    case note
    case finding
    case hypothesis
    case action
    case decision
    case updatePublished = "update_published"
    case alert
    case page

    /// Kinds a responder writes by hand; the others are written by state changes.
    public static let manual: [TimelineKind] = [.note, .finding, .hypothesis, .action, .decision, .updatePublished]
}

/// Where a hypothesis stands.
public enum HypothesisState: String, StrictStringEnum {
    case open, confirmed
    case ruledOut = "ruled_out"
}

/// How a recorded action turned out.
public enum ActionResult: String, StrictStringEnum {
    case pending, succeeded, failed, partial
}

/// A timeline event before it is stored: the store gives it an id and a place in order.
public struct TimelineDraft: Codable, Sendable, Equatable {
    public var kind: TimelineKind
    /// When it happened; the timeline reads in this order.
    public var at: Date
    /// When the author wrote it down, when later than `at` (a scribe catching up); nil when the
    /// entry was written as it happened.
    public var recordedAt: Date?
    public var author: String
    public var text: String
    /// Kind-specific facts, e.g. `from`/`to` for changes, `state` for hypotheses, `result` for actions.
    public var details: [String: String]

    public init(
        kind: TimelineKind, at: Date, recordedAt: Date? = nil, author: String, text: String, details: [String: String] = [:]
    ) {
        self.kind = kind
        self.at = at
        self.recordedAt = recordedAt == at ? nil : recordedAt
        self.author = author
        self.text = text
        self.details = details
    }

    /// The draft as written down at `now`, having happened at `at`.
    public func recorded(at now: Date) -> TimelineDraft {
        var copy = self
        copy.recordedAt = now == at ? nil : now
        return copy
    }
}

/// A stored timeline event.
public struct TimelineEntry: Codable, Sendable, Equatable {
    public var id: UUID
    public var incidentID: UUID
    public var kind: TimelineKind
    /// When it happened.
    public var at: Date
    /// When it was written down: `at` unless the author recorded it afterwards.
    public var recordedAt: Date
    public var author: String
    public var text: String
    public var details: [String: String]

    public init(id: UUID, incidentID: UUID, draft: TimelineDraft) {
        self.id = id
        self.incidentID = incidentID
        self.kind = draft.kind
        self.at = draft.at
        self.recordedAt = draft.recordedAt ?? draft.at
        self.author = draft.author
        self.text = draft.text
        self.details = draft.details
    }
}
