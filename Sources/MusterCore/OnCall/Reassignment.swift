import Foundation

/// Who an incident is handed to: named people and schedules, or another escalation policy.
public enum Reassignment: Sendable, Equatable, CustomStringConvertible {
    case targets([EscalationTarget])
    case policy(String)

    /// Validates the shape of a request: either targets or a policy, not both and not neither.
    public init(users: [String], schedules: [String], policy: String?) throws(IncidentError) {
        let targets = users.map(EscalationTarget.user) + schedules.map(EscalationTarget.schedule)
        switch (targets.isEmpty, policy) {
        case (true, nil):
            throw .invalidField(field: "users", reason: "or 'schedules' or 'policy' must name who takes the incident.")
        case (false, .some):
            throw .invalidField(field: "policy", reason: "cannot be combined with 'users' or 'schedules'; name either.")
        case (true, .some(let policy)):
            try ServiceSlug.validate(policy, field: "policy")
            self = .policy(policy)
        case (false, nil):
            guard targets.count <= 20 else {
                throw .invalidField(field: "users", reason: "and 'schedules' may name at most 20 targets together.")
            }
            self = .targets(targets)
        }
    }

    public var description: String {
        switch self {
        case .targets(let targets): targets.map(\.description).joined(separator: ", ")
        case .policy(let id): "escalation policy \(id)"
        }
    }

    /// The policy walked for a handover to named people and schedules: page them now, and again
    /// every 5 minutes, three times in all, until someone acknowledges.
    public static func policy(for targets: [EscalationTarget]) throws(IncidentError) -> EscalationPolicy {
        try EscalationPolicy(
            id: "reassignment", name: "Reassigned to \(targets.map(\.description).joined(separator: ", "))".prefix(120).description,
            levels: [EscalationLevel(targets: targets, delayMinutes: 5)], repeats: 2)
    }
}

extension Incident {
    /// Hands the incident to other responders. An acknowledged incident is triggered again, so the
    /// new responders must acknowledge it themselves; an incident further along keeps its status.
    public mutating func reassign(_ assignment: Reassignment, note: String?, by author: String, at now: Date) throws(IncidentError)
        -> [TimelineDraft]
    {
        guard status.isOpen else { throw .invalidTransition(from: status, to: .triggered) }
        if let note { try TextRules.limit(note, field: "note", max: IncidentDeclaration.maxTextLength) }
        var entries: [TimelineDraft] = []
        if status == .acknowledged {
            entries.append(retrigger(text: "Status changed from acknowledged to triggered: handed to \(assignment)", by: author, at: now))
        }
        var text = "\(author) reassigned the incident to \(assignment)"
        if let note, !note.isEmpty { text += ": \(note)" }
        updatedAt = now
        entries.append(TimelineDraft(kind: .note, at: now, author: author, text: text, details: ["reassigned": assignment.description]))
        return entries
    }
}

extension Escalation {
    /// The escalation after a handover: walks `policy` from its first level, due now. When the
    /// incident is already being worked on, the new responders are still paged, once.
    public static func handover(of incident: Incident, to policy: EscalationPolicy, at now: Date) -> Escalation {
        var escalation = Escalation(incidentID: incident.id, policy: policy, startAt: now)
        escalation.forced = incident.status != .triggered
        return escalation
    }
}
