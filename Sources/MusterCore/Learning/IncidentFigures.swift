import Foundation

/// The time between two moments of an incident, with what each moment was and, when the usual
/// starting moment was not recorded, which one stood in for it.
public struct IncidentSpan: Codable, Sendable, Equatable {
    public var from: Date?
    public var to: Date?
    /// What `from` and `to` are: "impact start", "detection", "acknowledgement"…
    public var fromLabel: String
    public var toLabel: String
    /// Set when `from` is a stand-in: why, in words ("no impact start recorded; measured from detection").
    public var fallback: String?

    public init(from: Date?, to: Date?, fromLabel: String, toLabel: String, fallback: String? = nil) {
        self.from = from
        self.to = to
        self.fromLabel = fromLabel
        self.toLabel = toLabel
        self.fallback = fallback
    }

    /// The span in seconds; nil while either end is unknown.
    public var seconds: Double? {
        guard let from, let to else { return nil }
        return max(0, to.timeIntervalSince(from))
    }
}

/// What an incident's record says about the response, computed from the times as they happened:
/// how long customers were affected and how long each step took, the response targets, and how
/// many alerts, pages and people there were.
public struct IncidentFigures: Codable, Sendable, Equatable {
    /// From the impact's start (else detection) to resolution.
    public var duration: IncidentSpan
    /// From the impact's start to detection; unknown without an impact start.
    public var timeToDetect: IncidentSpan
    /// From detection to the first acknowledgement.
    public var timeToAcknowledge: IncidentSpan
    /// From detection to mitigation (monitoring, or resolution when it went straight there).
    public var timeToMitigate: IncidentSpan
    /// From detection to resolution.
    public var timeToResolve: IncidentSpan
    /// From the change responders marked as the trigger to detection, when one is known.
    public var detectedAfterChange: IncidentSpan?
    /// The acknowledge and resolve targets of the severity, met or breached (running while open).
    public var targets: ResponseTargets?
    public var alerts: Int
    public var pages: Int
    /// Everyone who held a role or wrote on the timeline, in the order they first appear.
    public var people: [String]

    public init(
        incident: Incident, timeline: [TimelineEntry], severity: Severity?, alerts: Int, pages: Int, changeAt: Date? = nil, now: Date
    ) {
        let start = incident.impactStartedAt ?? incident.detectedAt
        let startLabel = incident.impactStartedAt == nil ? "detection" : "impact start"
        let noImpactStart = incident.impactStartedAt == nil ? "no impact start recorded; measured from detection" : nil
        duration = IncidentSpan(from: start, to: incident.resolvedAt, fromLabel: startLabel, toLabel: "resolution", fallback: noImpactStart)
        timeToDetect = IncidentSpan(
            from: incident.impactStartedAt, to: incident.detectedAt, fromLabel: "impact start", toLabel: "detection",
            fallback: incident.impactStartedAt == nil ? "no impact start recorded; unknown" : nil)
        timeToAcknowledge = IncidentSpan(
            from: incident.detectedAt, to: incident.acknowledgedAt, fromLabel: "detection", toLabel: "acknowledgement")
        timeToMitigate = IncidentSpan(from: incident.detectedAt, to: incident.mitigatedAt, fromLabel: "detection", toLabel: "mitigation")
        timeToResolve = IncidentSpan(from: incident.detectedAt, to: incident.resolvedAt, fromLabel: "detection", toLabel: "resolution")
        detectedAfterChange = changeAt.map {
            IncidentSpan(from: $0, to: incident.detectedAt, fromLabel: "the triggering change", toLabel: "detection")
        }
        targets = severity.map { ResponseTargets(incident: incident, severity: $0, now: now) }
        self.alerts = alerts
        self.pages = pages
        var people: [String] = []
        func add(_ name: String) {
            if !name.isEmpty, !Self.machines.contains(name), !people.contains(name) { people.append(name) }
        }
        for entry in timeline where Self.peoplesKinds.contains(entry.kind) { add(entry.author) }
        for role in incident.roles { add(role.assignee) }
        self.people = people
    }

    /// Authors that are Muster itself or a sender, not people.
    static let machines: Set<String> = ["muster", "alertmanager", "grafana", "pagerduty", "generic", "server"]

    /// The entries people write.
    static let peoplesKinds: Set<TimelineKind> = [
        .declared, .statusChange, .severityChange, .roleChange, .impactChange, .note, .finding, .hypothesis, .action, .decision,
        .updatePublished,
    ]
}
