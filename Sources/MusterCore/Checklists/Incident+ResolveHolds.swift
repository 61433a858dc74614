import Foundation

extension Incident {
    /// What speaks against resolving at `now`: resolution items still open, and a stability window
    /// not yet over since the incident was mitigated. Empty when nothing does.
    public func resolveHolds(checklist: IncidentChecklist, stabilityWindow: TimeInterval, now: Date) -> [String] {
        var holds: [String] = []
        let open = checklist.openResolutionItems
        if !open.isEmpty {
            let named = open.prefix(3).map { "“\($0.text)”" }.joined(separator: ", ")
            holds.append(
                "\(open.count) resolution checklist item\(open.count == 1 ? " is" : "s are") open (\(named)\(open.count > 3 ? ", …" : ""))")
        }
        if stabilityWindow > 0, let mitigated = mitigatedAt {
            let stable = now.timeIntervalSince(mitigated)
            if stable < stabilityWindow {
                holds.append(
                    "it has been stable for \(DurationText.human(max(stable, 0))) of the \(DurationText.human(stabilityWindow)) to watch after mitigation"
                )
            }
        }
        return holds
    }

    /// Resolves as `resolve(resolution:rootCause:by:at:)` does when nothing holds it back (see
    /// `resolveHolds`). When something does, a responder must confirm with the reason in `force`,
    /// and the timeline notes what was overridden and why.
    public mutating func resolve(
        resolution: String?, rootCause: String?, checklist: IncidentChecklist, stabilityWindow: TimeInterval, force: String?,
        by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        let holds = status.isOpen ? resolveHolds(checklist: checklist, stabilityWindow: stabilityWindow, now: now) : []
        // The request's own mistakes (a bad time, a closed incident) are named before any hold.
        var resolved = self
        var entries = try resolved.resolve(resolution: resolution, rootCause: rootCause, by: author, at: now)
        let reason = force?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !holds.isEmpty, reason.isEmpty { throw .confirmationRequired(holds) }
        try TextRules.limit(reason, field: "force", max: 500)
        self = resolved
        if !holds.isEmpty {
            entries.insert(
                TimelineDraft(
                    kind: .note, at: now, author: author,
                    text: "Resolved although \(holds.joined(separator: "; and ")): \(reason)", details: ["forced": "true"]),
                at: 0)
        }
        return entries
    }
}
