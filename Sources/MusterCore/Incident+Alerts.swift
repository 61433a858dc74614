import Foundation

extension Incident {
    /// Opens an incident for the first alert of a group.
    public static func open(
        from alert: Alert, id: UUID, number: Int, severity: String, groupKey: String, at now: Date
    ) -> (Incident, [TimelineDraft]) {
        let incident = Incident(
            id: id, number: number, reference: reference(year: year(of: now), number: number),
            title: String(alert.summary.prefix(IncidentDeclaration.maxTitleLength)), summary: alert.annotations["description"] ?? "",
            services: [alert.service], severity: severity, status: .triggered, impact: Impact(), roles: [],
            declaredBy: alert.source, impactStartedAt: min(alert.startsAt, now), detectedAt: now, acknowledgedAt: nil,
            mitigatedAt: nil, resolvedAt: nil, closedAt: nil, rootCause: nil, resolution: nil, reopenCount: 0,
            updatedAt: now, groupKey: groupKey)
        let entries = [
            TimelineDraft(
                kind: .declared, at: now, author: alert.source,
                text: "Opened \(incident.reference) at \(severity) from a \(alert.severity.rawValue) alert: \(alert.summary)",
                details: ["alert": alert.id.uuidString, "dedupKey": alert.dedupKey]),
        ]
        return (incident, entries)
    }

    /// Records an alert joining (or firing again on) this incident; an earlier start moves impact back.
    public mutating func join(_ alert: Alert, change: AlertChange, at now: Date) -> [TimelineDraft] {
        if let started = impactStartedAt, alert.startsAt < started { impactStartedAt = alert.startsAt }
        updatedAt = now
        let verb = change == .refired ? "fired again" : "joined"
        return [
            TimelineDraft(
                kind: .alert, at: now, author: alert.source, text: "Alert \(verb) (\(alert.severity.rawValue)): \(alert.summary)",
                details: ["alert": alert.id.uuidString, "dedupKey": alert.dedupKey, "change": change.rawValue]),
        ]
    }

    /// Notes that an alert of this incident resolved, and whether it was the last one firing.
    public mutating func alertResolved(
        _ alert: Alert, stillFiring: Int, autoResolve: Bool, at now: Date
    ) -> [TimelineDraft] {
        updatedAt = now
        var entries = [
            TimelineDraft(
                kind: .alert, at: now, author: alert.source, text: "Alert resolved: \(alert.summary)",
                details: ["alert": alert.id.uuidString, "dedupKey": alert.dedupKey, "change": AlertChange.resolved.rawValue]),
        ]
        guard stillFiring == 0, status.isOpen else { return entries }
        entries.append(TimelineDraft(kind: .alert, at: now, author: "muster", text: "Every alert of this incident has resolved.", details: ["allResolved": "true"]))
        if autoResolve, let resolved = try? transition(to: .resolved, note: "resolved by itself: every alert cleared", by: "muster", at: now) {
            entries += resolved
        }
        return entries
    }
}
