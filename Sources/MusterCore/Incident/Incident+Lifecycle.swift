import Foundation

extension Incident {
    /// Someone has taken the incident: stops the acknowledgement clock (and, later, escalation).
    public mutating func acknowledge(by author: String, at now: Date) throws(IncidentError) -> [TimelineDraft] {
        guard status == .triggered else {
            throw status.isOpen ? .alreadyAcknowledged : .invalidTransition(from: status, to: .acknowledged)
        }
        return try transition(to: .acknowledged, note: nil, by: author, at: now)
    }

    /// An acknowledgement with a timeout ran out while nobody moved the incident on: it is
    /// triggered again and paging starts over.
    public mutating func acknowledgementLapsed(at now: Date) -> [TimelineDraft] {
        guard status == .acknowledged else { return [] }
        return [
            retrigger(
                text: "Acknowledgement timed out: the incident is triggered again and paging starts over",
                details: ["lapsed": "true"], by: "muster", at: now)
        ]
    }

    /// Undoes an acknowledgement. Outside the status table on purpose: only a lapsed
    /// acknowledgement or a handover to other responders moves an incident back to triggered.
    mutating func retrigger(text: String, details: [String: String] = [:], by author: String, at now: Date) -> TimelineDraft {
        let previous = status
        status = .triggered
        updatedAt = now
        return TimelineDraft(
            kind: .statusChange, at: now, author: author, text: text,
            details: details.merging(["from": previous.rawValue, "to": IncidentStatus.triggered.rawValue]) { $1 })
    }

    /// Moves along the status table, stamping the lifecycle times the move implies.
    public mutating func transition(
        to next: IncidentStatus, note: String?, by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        if next == status { throw .alreadyInStatus(status) }
        guard StatusTransitions.isAllowed(from: status, to: next) else {
            throw status == .closed ? .closed : .invalidTransition(from: status, to: next)
        }
        if let note { try TextRules.limit(note, field: "note", max: IncidentDeclaration.maxTextLength) }
        try checkLifecycleOrder(moving: next, at: now, field: "at")
        let previous = status
        status = next
        // Any move past triggered means a person has the incident in hand.
        if acknowledgedAt == nil, next != .triggered { acknowledgedAt = now }
        if next == .monitoring || next == .resolved, mitigatedAt == nil { mitigatedAt = now }
        if next == .resolved { resolvedAt = now }
        if next == .closed { closedAt = now }
        updatedAt = now
        var text = "Status changed from \(previous.rawValue) to \(next.rawValue)"
        if let note, !note.isEmpty { text += ": \(note)" }
        return [
            TimelineDraft(
                kind: .statusChange, at: now, author: author, text: text,
                details: ["from": previous.rawValue, "to": next.rawValue])
        ]
    }

    /// Resolves the incident, recording what fixed it and why it happened.
    public mutating func resolve(
        resolution: String?, rootCause: String?, by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        if let resolution { try TextRules.limit(resolution, field: "resolution", max: IncidentDeclaration.maxTextLength) }
        if let rootCause { try TextRules.limit(rootCause, field: "rootCause", max: IncidentDeclaration.maxTextLength) }
        let entries = try transition(to: .resolved, note: resolution, by: author, at: now)
        if let resolution, !resolution.isEmpty { self.resolution = resolution }
        if let rootCause, !rootCause.isEmpty { self.rootCause = rootCause }
        return entries
    }

    /// Closes a resolved incident; the record is final afterwards.
    public mutating func close(note: String?, by author: String, at now: Date) throws(IncidentError) -> [TimelineDraft] {
        try transition(to: .closed, note: note, by: author, at: now)
    }

    /// Reopens a resolved incident when the fix did not hold, within `windowSeconds` of resolution.
    public mutating func reopen(
        reason: String, windowSeconds: Int, by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        guard status == .resolved, let resolvedAt else {
            throw status == .closed ? .closed : .notResolved(status)
        }
        try TextRules.require(reason, field: "reason", max: IncidentDeclaration.maxTextLength)
        guard now.timeIntervalSince(resolvedAt) <= Double(windowSeconds) else {
            throw .reopenWindowPassed(resolvedAt: resolvedAt, windowSeconds: windowSeconds)
        }
        status = .investigating
        self.resolvedAt = nil
        reopenCount += 1
        updatedAt = now
        return [
            TimelineDraft(
                kind: .statusChange, at: now, author: author,
                text: "Reopened (was resolved at \(resolvedAt.iso8601)): \(reason)",
                details: ["from": IncidentStatus.resolved.rawValue, "to": IncidentStatus.investigating.rawValue, "reopened": "true"])
        ]
    }
}
