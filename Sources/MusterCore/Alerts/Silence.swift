import Foundation

/// A maintenance window or silence: alerts whose labels match are kept but open no incident.
public struct Silence: Codable, Sendable, Equatable {
    public var id: UUID
    public var matchers: [LabelMatcher]
    public var startsAt: Date
    public var endsAt: Date
    public var createdBy: String
    public var comment: String
    /// Ends the silence as soon as no alert it silenced is still firing.
    public var expireWhenResolved: Bool
    public var createdAt: Date

    public init(
        id: UUID, matchers: [LabelMatcher], startsAt: Date, endsAt: Date, createdBy: String, comment: String,
        expireWhenResolved: Bool, createdAt: Date
    ) throws(IncidentError) {
        guard !matchers.isEmpty else { throw .invalidField(field: "matchers", reason: "must hold at least one matcher.") }
        guard matchers.count <= 32 else { throw .invalidField(field: "matchers", reason: "may hold at most 32 matchers.") }
        guard endsAt > startsAt else { throw .invalidField(field: "endsAt", reason: "must be later than startsAt.") }
        guard endsAt > createdAt else {
            throw .invalidField(
                field: "endsAt", reason: "is \(endsAt.iso8601), already past: a silence that has ended would hold nothing back.")
        }
        try TextRules.require(comment, field: "comment", max: 2_000)
        // A silence that matches every alert would hide a whole outage; demand one positive condition.
        guard matchers.contains(where: { !$0.matches([:]) }) else {
            throw .invalidField(
                field: "matchers", reason: "would match alerts without any labels; add a matcher that requires a label value.")
        }
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.expireWhenResolved = expireWhenResolved
        self.createdAt = createdAt
    }

    /// Moves the end of a silence that has not ended yet: later to extend it, earlier to shorten
    /// it. Alerts it held that still fire are released once it ends, as for any silence.
    public mutating func reschedule(endsAt newEnd: Date, at now: Date) throws(IncidentError) {
        guard endsAt > now else {
            throw .invalidField(field: "endsAt", reason: "cannot change: the silence ended at \(endsAt.iso8601); create a new one.")
        }
        guard newEnd > now else {
            throw .invalidField(field: "endsAt", reason: "is \(newEnd.iso8601), already past; expire the silence to end it now.")
        }
        guard newEnd > startsAt else {
            throw .invalidField(field: "endsAt", reason: "must be later than startsAt (\(startsAt.iso8601)).")
        }
        endsAt = newEnd
    }

    /// Whether the silence is in force at `now`.
    public func isActive(at now: Date) -> Bool { startsAt <= now && now < endsAt }

    /// The label name a matcher uses to match the Muster service an alert arrived for, whatever
    /// labels its sender set (a maintenance's silence names its services so).
    public static let serviceLabel = "muster_service"

    /// Whether it is in force and every matcher accepts the labels (and the service).
    public func silences(_ labels: [String: String], service: String? = nil, at now: Date) -> Bool {
        isActive(at: now) && takes(labels, service: service)
    }

    /// Whether every matcher accepts the labels; one on `muster_service` reads `service`.
    public func takes(_ labels: [String: String], service: String?) -> Bool {
        Self.take(labels, service: service, matchers: matchers)
    }

    /// Whether every matcher accepts the labels; one on `muster_service` reads `service`.
    public static func take(_ labels: [String: String], service: String?, matchers: [LabelMatcher]) -> Bool {
        matchers.allSatisfy { matcher in
            guard matcher.name == serviceLabel, let service else { return matcher.matches(labels) }
            return matcher.matches([serviceLabel: service])
        }
    }
}
