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
                text:
                    "Opened \(incident.reference) at \(severity) from \(alert.severity == .error || alert.severity == .info ? "an" : "a") \(alert.severity.rawValue) alert: \(alert.summary)",
                details: ["alert": alert.id.uuidString, "dedupKey": alert.dedupKey])
        ]
        return (incident, entries)
    }

    /// Takes in an alert joining (or firing again on) this incident; an earlier start moves impact
    /// back. The note is its timeline entry, which alerts joining at the same moment share.
    public mutating func join(_ alert: Alert, change: AlertChange, at now: Date) -> AlertChangeNote {
        if let started = impactStartedAt, alert.startsAt < started { impactStartedAt = alert.startsAt }
        updatedAt = now
        return AlertChangeNote(alert, change: change, at: now)
    }

    /// An alert of a more severe level joining raises the incident to that level, noted on the
    /// timeline; nothing when the incident is already as severe, or no longer open.
    public mutating func raiseSeverity(to name: String, for alert: Alert, scheme: SeverityScheme, at now: Date) -> [TimelineDraft] {
        guard status.isOpen, let new = scheme.rank(of: name), let current = scheme.rank(of: severity), new < current else { return [] }
        let previous = severity
        severity = name
        updatedAt = now
        let article = alert.severity == .error || alert.severity == .info ? "an" : "a"
        return [
            TimelineDraft(
                kind: .severityChange, at: now, author: alert.source,
                text: "Severity raised from \(previous) to \(name) by \(article) \(alert.severity.rawValue) alert: \(alert.summary)",
                details: ["from": previous, "to": name, "alert": alert.id.uuidString, "dedupKey": alert.dedupKey])
        ]
    }

    /// Notes that an alert of this incident resolved (the note, shared like `join`'s), and after it
    /// whether that was the last one firing, which may resolve the incident by itself.
    public mutating func alertResolved(
        _ alert: Alert, stillFiring: Int, autoResolve: Bool, at now: Date
    ) -> (note: AlertChangeNote, after: [TimelineDraft]) {
        updatedAt = now
        let note = AlertChangeNote(alert, change: .resolved, at: now)
        guard stillFiring == 0, status.isOpen else { return (note, []) }
        var entries = [
            TimelineDraft(
                kind: .alert, at: now, author: "muster", text: "Every alert of this incident has resolved.",
                details: ["allResolved": "true"])
        ]
        if autoResolve,
            let resolved = try? transition(to: .resolved, note: "resolved by itself: every alert cleared", by: "muster", at: now)
        {
            entries += resolved
        }
        return (note, entries)
    }

    /// Sender groups an incident keeps left-out counts for; more are not recorded, so that a
    /// sender cannot grow the incident's document without bound.
    public static let maxLeftOutGroups = 50

    /// Takes the count of alerts a notification reaching this incident left out (Alertmanager's
    /// `truncatedAlerts`, under its `max_alerts`), for the sender's group that sent it. The
    /// timeline says so when that group's count changes, so that responders know the incident
    /// lists fewer alerts than are firing. A repeated count adds nothing; counts are kept per
    /// group, so that two groups feeding one incident, one cut and one not, do not undo each
    /// other's note at every notification.
    public mutating func senderLeftOut(_ count: Int, group: String, sender: String, at now: Date) -> [TimelineDraft] {
        var counts = alertsLeftOut ?? [:]
        let before = counts[group] ?? 0
        guard count >= 0, count != before else { return [] }
        let isNewGroup = before == 0
        guard !isNewGroup || counts.count < Self.maxLeftOutGroups else { return [] }
        counts[group] = count > 0 ? count : nil
        alertsLeftOut = counts.isEmpty ? nil : counts
        updatedAt = now
        let named = group.isEmpty ? "" : " for group \(group)"
        let text =
            count > 0
            ? "The sender left \(count) \(count == 1 ? "alert" : "alerts") out of its notification\(named) (its max_alerts setting): this incident lists fewer alerts than are firing."
            : "The sender's notifications\(named) hold every alert again; none is left out."
        return [TimelineDraft(kind: .alert, at: now, author: sender, text: text, details: ["leftOut": String(count), "group": group])]
    }
}
