import Foundation

extension Incident {
    /// Builds a hand-written timeline entry (note, finding, hypothesis, action, decision, update
    /// published). An action may name the mitigation it is and its target.
    public func record(
        kind: TimelineKind, text: String, hypothesis: HypothesisState?, result: ActionResult?,
        mitigation: MitigationKind? = nil, target: String? = nil, by author: String, at now: Date
    ) throws(IncidentError) -> TimelineDraft {
        guard status != .closed else { throw .closed }
        guard TimelineKind.manual.contains(kind) else {
            let allowed = TimelineKind.manual.map(\.rawValue).joined(separator: ", ")
            throw .invalidField(
                field: "kind", reason: "must be one of \(allowed); '\(kind.rawValue)' entries are written by Muster itself.")
        }
        try TextRules.require(text, field: "text", max: IncidentDeclaration.maxTextLength)
        if hypothesis != nil, kind != .hypothesis {
            throw .invalidField(field: "state", reason: "only applies to hypothesis entries.")
        }
        if result != nil, kind != .action {
            throw .invalidField(field: "result", reason: "only applies to action entries.")
        }
        if mitigation != nil || target != nil, kind != .action {
            throw .invalidField(field: mitigation != nil ? "mitigation" : "target", reason: "only applies to action entries.")
        }
        var details: [String: String] = [:]
        if kind == .hypothesis { details["state"] = (hypothesis ?? .open).rawValue }
        if kind == .action { details["result"] = (result ?? .pending).rawValue }
        if let mitigation { details["mitigation"] = mitigation.rawValue }
        if let target = target?.trimmingCharacters(in: .whitespacesAndNewlines), !target.isEmpty {
            try TextRules.limit(target, field: "target", max: 200)
            details["target"] = target
        }
        return TimelineDraft(kind: kind, at: now, author: author, text: text, details: details)
    }

    /// Moves a hypothesis to a new state: returns the updated entry and the note that records the change.
    public func settle(
        hypothesis entry: TimelineEntry, as state: HypothesisState, by author: String, at now: Date
    ) throws(IncidentError) -> (updated: TimelineEntry, note: TimelineDraft) {
        guard status != .closed else { throw .closed }
        guard entry.incidentID == id, entry.kind == .hypothesis else { throw .hypothesisNotFound }
        let previous = entry.details["state"] ?? HypothesisState.open.rawValue
        if previous == state.rawValue {
            throw .invalidField(field: "state", reason: "is already \(state.rawValue).")
        }
        var updated = entry
        updated.details["state"] = state.rawValue
        let verb =
            switch state {
            case .open: "reopened"
            case .confirmed: "confirmed"
            case .ruledOut: "ruled out"
            }
        let note = TimelineDraft(
            kind: .note, at: now, author: author, text: "Hypothesis \(verb): \(entry.text)",
            details: ["hypothesis": entry.id.uuidString, "state": state.rawValue])
        return (updated, note)
    }

    /// Records a mitigation that worked and moves the incident to monitoring, which starts the
    /// watch before it may be called resolved.
    public mutating func mitigated(by entry: TimelineDraft, at now: Date) throws(IncidentError) -> [TimelineDraft] {
        guard entry.kind == .action, entry.details["result"] == ActionResult.succeeded.rawValue else {
            throw .invalidField(field: "markMitigated", reason: "needs an action whose result is succeeded.")
        }
        guard status != .monitoring else { return [entry] }
        guard StatusTransitions.allowed(from: status).contains(.monitoring) else {
            throw .invalidField(field: "markMitigated", reason: "cannot move a \(status.rawValue) incident to monitoring.")
        }
        let what = entry.details["mitigation"].flatMap(MitigationKind.init(rawValue:))?.label.lowercased() ?? "action"
        return [entry] + (try transition(to: .monitoring, note: "Mitigated by the \(what): \(entry.text)", by: entry.author, at: now))
    }
}
