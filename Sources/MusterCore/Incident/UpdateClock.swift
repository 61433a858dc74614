import Foundation

/// When an incident's next update to one audience is due, by its severity's cadence.
public struct UpdateClock: Codable, Sendable, Equatable {
    /// `internal` or `external`.
    public var audience: String
    public var dueAt: Date
    public var cadenceSeconds: Int
    /// Whether the last update promised an earlier time than the cadence, which then holds.
    public var promised: Bool
    /// Past `dueAt` without an update.
    public var late: Bool
    /// Seconds until due, or since it was due when late.
    public var seconds: Double
}

extension Incident {
    /// The update clocks of an open incident at `now`: internal then external, each only when
    /// `severity` sets a cadence for it. A clock runs from the last update to its audience (from
    /// the start of the cadence before the first) for the cadence of the severity in force; an
    /// update that promised an earlier next update is due then. Resolved and closed incidents
    /// owe no updates.
    public func updateClocks(severity: Severity, now: Date) -> [UpdateClock] {
        guard status.isOpen else { return [] }
        let record = communication ?? CommunicationRecord()
        let start = record.startedAt ?? detectedAt
        let audiences: [(String, Int?, Date?, Date?)] = [
            ("internal", severity.internalUpdateSeconds, record.lastInternalAt, record.promisedInternalAt),
            ("external", severity.externalUpdateSeconds, record.lastExternalAt, record.promisedExternalAt),
        ]
        return audiences.compactMap { audience, cadence, last, promised in
            guard let cadence, cadence > 0 else { return nil }
            var due = (last ?? start).addingTimeInterval(Double(cadence))
            var byPromise = false
            if let promised, promised < due {
                due = promised
                byPromise = true
            }
            let late = now > due
            return UpdateClock(
                audience: audience, dueAt: due, cadenceSeconds: cadence, promised: byPromise, late: late,
                seconds: late ? now.timeIntervalSince(due) : due.timeIntervalSince(now))
        }
    }
}
