import Foundation

/// Who a status update is for.
public enum UpdateAudience: String, StrictStringEnum {
    /// Responders, stakeholders and leadership.
    case `internal`
    /// Customers, through the status page.
    case external
    case both

    public var reachesInternal: Bool { self != .external }
    public var reachesExternal: Bool { self != .internal }
}

/// Where the response stands, as an update tells it.
public enum UpdatePhase: String, StrictStringEnum {
    case investigating, identified, monitoring, resolved
}

/// What an incident has told each audience, and promised: the state its update clocks run from.
public struct CommunicationRecord: Codable, Sendable, Equatable {
    /// When the cadence started: the declaration, or the opening from alerts.
    public var startedAt: Date?
    public var lastInternalAt: Date?
    public var lastExternalAt: Date?
    /// The phase the last update customers read told.
    public var lastExternalPhase: UpdatePhase?
    /// The next update the last internal update promised.
    public var promisedInternalAt: Date?
    /// The next update the last external update promised.
    public var promisedExternalAt: Date?
    /// The due time of the internal update whose reminder went out, so it goes out once.
    public var remindedInternalFor: Date?
    public var remindedExternalFor: Date?
    /// The due time of the internal update whose overdue escalation went out, so it goes out once.
    public var escalatedInternalFor: Date?
    public var escalatedExternalFor: Date?

    public init(startedAt: Date? = nil) {
        self.startedAt = startedAt
    }
}

extension Incident {
    /// Whether customers can see it: an update for them was published.
    public var isPublished: Bool { communication?.lastExternalAt != nil }

    /// Publishes a status update: checks it, moves the update clocks of its audiences, and returns
    /// the `update_published` entry that records it. An update customers read also records the
    /// status page components it concerns and their status (`components`).
    public mutating func publishUpdate(
        audience: UpdateAudience, phase: UpdatePhase, body: String, nextUpdateAt: Date?,
        components: [(String, ComponentStatus)] = [], by author: String, at now: Date
    ) throws(IncidentError) -> TimelineDraft {
        guard status != .closed else { throw .closed }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(text, field: "text", max: IncidentDeclaration.maxTextLength)
        if let next = nextUpdateAt, next <= now {
            throw .invalidField(field: "nextUpdateAt", reason: "must be later than now: it is when the next update is promised.")
        }
        var record = communication ?? CommunicationRecord(startedAt: nil)
        if audience.reachesInternal {
            record.lastInternalAt = now
            record.promisedInternalAt = nextUpdateAt
        }
        if audience.reachesExternal {
            record.lastExternalAt = now
            record.lastExternalPhase = phase
            record.promisedExternalAt = nextUpdateAt
        }
        communication = record
        updatedAt = now
        var details = ["audience": audience.rawValue, "phase": phase.rawValue]
        if let next = nextUpdateAt { details["nextUpdateAt"] = RFC3339.format(next) }
        if audience.reachesExternal, !components.isEmpty { details["components"] = PublicIncident.componentsDetail(components) }
        return TimelineDraft(kind: .updatePublished, at: now, author: author, text: text, details: details)
    }
}
