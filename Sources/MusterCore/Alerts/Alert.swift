import Foundation

/// Whether an alert's condition still holds.
public enum AlertStatus: String, StrictStringEnum {
    case firing, resolved
}

/// What an incoming event (or the end of a silence) did to the stored alert.
public enum AlertChange: String, Codable, Sendable, Equatable {
    /// First time this dedup key was seen.
    case opened
    /// It had resolved and fires again.
    case refired
    /// The same firing alert again (a duplicate or a repeat notification).
    case repeated
    /// It stopped firing.
    case resolved
    /// A resolve for an alert that was already resolved or never seen.
    case ignored
    /// The sender acknowledged it.
    case acknowledged
    /// A silence held it back and ended while it still fired: it joins an incident late.
    case released
}

/// An alert as Muster keeps it: the latest facts plus its history in counts and times.
public struct Alert: Codable, Sendable, Equatable {
    public var id: UUID
    public var integrationID: UUID
    public var service: String
    public var dedupKey: String
    public var status: AlertStatus
    public var summary: String
    public var source: String
    public var severity: AlertSeverity
    public var labels: [String: String]
    public var annotations: [String: String]
    public var links: [AlertLink]
    public var startsAt: Date
    public var endsAt: Date?
    public var firstSeen: Date
    public var lastSeen: Date
    /// How many events have arrived for this alert, duplicates included.
    public var occurrences: Int
    /// The incident it opened or joined, if any.
    public var incidentID: UUID?
    /// That incident's human id.
    public var incidentReference: String?
    /// The silence that matched it when it fired, if any.
    public var silenceID: UUID?

    /// A new alert from its first event.
    public init(id: UUID, integrationID: UUID, service: String, event: AlertEvent, at now: Date) {
        self.id = id
        self.integrationID = integrationID
        self.service = service
        dedupKey = event.dedupKey
        status = event.action == .resolve ? .resolved : .firing
        summary = event.summary
        source = event.source
        severity = event.severity
        labels = event.labels
        annotations = event.annotations
        links = event.links
        startsAt = event.startsAt ?? now
        endsAt = event.action == .resolve ? (event.endsAt ?? now) : nil
        firstSeen = now
        lastSeen = now
        occurrences = 1
    }

    /// Applies a later event for the same dedup key and says what changed.
    public mutating func receive(_ event: AlertEvent, at now: Date) -> AlertChange {
        occurrences += 1
        lastSeen = now
        switch event.action {
        case .acknowledge:
            return .acknowledged
        case .resolve:
            guard status == .firing else { return .ignored }
            status = .resolved
            endsAt = event.endsAt ?? now
            return .resolved
        case .trigger:
            if !event.summary.isEmpty { summary = event.summary }
            severity = event.severity
            labels = event.labels
            annotations = event.annotations
            if !event.links.isEmpty { links = event.links }
            if status == .resolved {
                status = .firing
                startsAt = event.startsAt ?? now
                endsAt = nil
                return .refired
            }
            return .repeated
        }
    }
}
