import Foundation

/// What the operational gauges need of one unresolved incident: its severity and the times its
/// response targets run from and to.
public struct OpenIncidentClock: Sendable, Equatable {
    public var severity: String
    public var detectedAt: Date
    public var acknowledgedAt: Date?

    public init(severity: String, detectedAt: Date, acknowledgedAt: Date?) {
        self.severity = severity
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
    }
}

/// Unresolved incidents counted by severity, and how many are past each response target now.
public struct OpenIncidentFigures: Sendable, Equatable {
    /// Every level of the scheme, zero included, so a gauge falls back to 0 when its last incident resolves.
    public var bySeverity: [String: Int]
    public var acknowledgeBreached: Int
    public var resolveBreached: Int

    public init(_ clocks: [OpenIncidentClock], scheme: SeverityScheme, now: Date) {
        bySeverity = Dictionary(uniqueKeysWithValues: scheme.names.map { ($0, 0) })
        acknowledgeBreached = 0
        resolveBreached = 0
        for clock in clocks {
            bySeverity[clock.severity, default: 0] += 1
            // A severity the scheme no longer has (the configuration changed) has no targets to breach.
            guard let level = try? scheme.level(named: clock.severity) else { continue }
            let acknowledge = TargetStatus.evaluate(
                start: clock.detectedAt, seconds: level.acknowledgeTargetSeconds, reachedAt: clock.acknowledgedAt, now: now)
            let resolve = TargetStatus.evaluate(start: clock.detectedAt, seconds: level.resolveTargetSeconds, reachedAt: nil, now: now)
            if acknowledge.state == .breached { acknowledgeBreached += 1 }
            if resolve.state == .breached { resolveBreached += 1 }
        }
    }
}
