import Foundation

extension Incident {
    /// The longest an acknowledgement may hold paging before it starts over: a day.
    public static let acknowledgementTimeoutMinutes = 1...1_440

    /// Someone takes the incident, optionally with a note, and optionally only for `timeoutMinutes`:
    /// paging starts over then if nobody moved the incident on. The caller holds the escalation
    /// until the deadline in the same transaction.
    public mutating func acknowledge(
        note: String?, timeoutMinutes: Int?, by author: String, at time: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        if let minutes = timeoutMinutes, !Self.acknowledgementTimeoutMinutes.contains(minutes) {
            throw .invalidField(field: "timeoutMinutes", reason: "must be from 1 to 1440.")
        }
        var entries = try acknowledge(by: author, at: time)
        if let note, !note.isEmpty {
            entries.append(try record(kind: .note, text: note, hypothesis: nil, result: nil, by: author, at: time))
        }
        if let minutes = timeoutMinutes {
            entries.append(
                TimelineDraft(
                    kind: .note, at: time, author: author,
                    text: "Acknowledged for \(minutes) min: paging starts over if nobody moves the incident on by then",
                    details: ["timeoutMinutes": String(minutes)]))
        }
        return entries
    }

    /// A responder asks for the next escalation level now, acknowledged or not; only an open
    /// incident can be escalated.
    public mutating func escalateByHand(by author: String, at time: Date) throws(IncidentError) -> [TimelineDraft] {
        guard status.isOpen else { throw .invalidTransition(from: status, to: .triggered) }
        return [TimelineDraft(kind: .note, at: time, author: author, text: "\(author) escalated to the next level by hand")]
    }
}
