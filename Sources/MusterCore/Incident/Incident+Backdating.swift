import Foundation

extension Incident {
    /// How far ahead of the server's clock a given time may be and still count as now: a client's
    /// clock runs a little fast, and "14:38" typed at 14:38 must not be refused.
    public static let clockSkewAllowance: TimeInterval = 60

    /// The earliest time anything on this incident can have happened: its impact start, or its
    /// detection when the impact start is not known.
    public var earliestRecordableTime: Date { impactStartedAt ?? detectedAt }

    /// When something a responder records happened: `given`, checked against the incident's
    /// record, or `now` when no time was given. A time within the skew allowance ahead of `now`
    /// reads as `now`.
    public func happened(at given: Date?, now: Date, field: String = "at") throws(IncidentError) -> Date {
        guard let given else { return now }
        if given > now.addingTimeInterval(Self.clockSkewAllowance) {
            throw .invalidField(field: field, reason: "is \(given.iso8601), which is in the future; give the time it happened.")
        }
        if given < earliestRecordableTime {
            let what = impactStartedAt == nil ? "detected" : "its impact started"
            throw .invalidField(
                field: field,
                reason: "is \(given.iso8601), before the incident was \(what) (\(earliestRecordableTime.iso8601)); "
                    + (impactStartedAt == nil
                        ? "set the impact start first if it began earlier." : "correct the impact start first if it began earlier."))
        }
        return min(given, now)
    }

    /// Checks that a lifecycle time recorded at `time` keeps the record in order: an incident is
    /// acknowledged after it is detected, mitigated and resolved after it is acknowledged, and
    /// closed after it is resolved. The skew allowance keeps a server clock stepped back a little
    /// from refusing work done at the present moment.
    func checkLifecycleOrder(moving next: IncidentStatus, at time: Date, field: String) throws(IncidentError) {
        var before: [(String, Date?)] = [("detected", detectedAt)]
        if next != .acknowledged { before.append(("acknowledged", acknowledgedAt)) }
        if next == .resolved || next == .closed { before.append(("mitigated", mitigatedAt)) }
        if next == .closed { before.append(("resolved", resolvedAt)) }
        for (name, earlier) in before {
            if let earlier, time < earlier.addingTimeInterval(-Self.clockSkewAllowance) {
                throw .invalidField(
                    field: field, reason: "is \(time.iso8601), before the incident was \(name) (\(earlier.iso8601)).")
            }
        }
    }
}
