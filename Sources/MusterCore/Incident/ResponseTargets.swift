import Foundation

/// Whether one response target (acknowledge or resolve) is met, breached or still running.
public struct TargetStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Not reached yet and the deadline has not passed.
        case running
        /// Reached on or before the deadline.
        case met
        /// Reached late, or not reached and the deadline has passed.
        case breached
    }

    public var state: State
    public var targetSeconds: Int
    public var deadline: Date
    /// Seconds left before the deadline while running; 0 otherwise.
    public var remainingSeconds: Double
    /// Seconds past the deadline when breached; 0 otherwise.
    public var overdueSeconds: Double

    /// Judges a target that starts at `start`, lasts `seconds` and was reached at `reachedAt` (nil if not yet).
    public static func evaluate(start: Date, seconds: Int, reachedAt: Date?, now: Date) -> TargetStatus {
        let deadline = start.addingTimeInterval(Double(seconds))
        let end = reachedAt ?? now
        if end > deadline {
            return TargetStatus(
                state: .breached, targetSeconds: seconds, deadline: deadline,
                remainingSeconds: 0, overdueSeconds: end.timeIntervalSince(deadline))
        }
        if reachedAt != nil {
            return TargetStatus(state: .met, targetSeconds: seconds, deadline: deadline, remainingSeconds: 0, overdueSeconds: 0)
        }
        return TargetStatus(
            state: .running, targetSeconds: seconds, deadline: deadline,
            remainingSeconds: deadline.timeIntervalSince(now), overdueSeconds: 0)
    }
}

/// The acknowledge and resolve targets of an incident at a moment, measured from detection.
public struct ResponseTargets: Codable, Sendable, Equatable {
    public var acknowledge: TargetStatus
    public var resolve: TargetStatus

    public init(incident: Incident, severity: Severity, now: Date) {
        acknowledge = .evaluate(
            start: incident.detectedAt, seconds: severity.acknowledgeTargetSeconds,
            reachedAt: incident.acknowledgedAt, now: now)
        resolve = .evaluate(
            start: incident.detectedAt, seconds: severity.resolveTargetSeconds,
            reachedAt: incident.resolvedAt ?? incident.closedAt, now: now)
    }
}
