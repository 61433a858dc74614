import Foundation
import MusterCore
import MusterStore

/// One change to an incident by a named author, as the API and the pages both make it: the core
/// rule decides, the store keeps the result and its timeline entries in one transaction.
struct IncidentUpdates {
    let env: APIEnvironment

    /// Runs `change` on incident `key` for `author`. `given` is when the change happened, if the
    /// author says it was earlier: the change is dated then, and its timeline entries keep when
    /// they were recorded. `escalation` changes the running escalation in the same transaction.
    func apply(
        _ key: String, author: String, at given: Date? = nil,
        escalation: (@Sendable (inout Escalation, Incident) -> Void)? = nil,
        _ change: @escaping @Sendable (inout Incident, String, Date) throws -> [TimelineDraft]
    ) async throws -> Incident {
        let now = env.now()
        return try await env.stores.incidents.updateIncident(key, escalation: escalation) { incident in
            let happened = try incident.happened(at: given, now: now)
            let entries = try change(&incident, author, happened)
            incident.updatedAt = now
            return entries.map { $0.recorded(at: now) }
        }
    }

    /// Resolves an incident, unless resolution checklist items are open or the stability window
    /// is not over and no reason is given in `force`. One customers could follow on the status
    /// page gets a resolved update there too, written from the template around `publicUpdate`,
    /// unless the last update they read already said resolved and nothing new is given.
    func resolve(
        _ key: String, author: String, at given: Date?, resolution: String?, rootCause: String?, publicUpdate: String?,
        force: String?
    ) async throws -> Incident {
        let page = try await PageComponents.load(env)
        let templates = env.updateTemplates
        let window = env.stabilityWindow
        let checklist = try await Checklists(env: env).checklist(of: try await Postmortems(env: env).incident(key))
        return try await apply(key, author: author, at: given) { incident, author, at in
            let before = incident
            var entries = try incident.resolve(
                resolution: resolution, rootCause: rootCause, checklist: checklist, stabilityWindow: window, force: force, by: author,
                at: at)
            if incident.isPublished, publicUpdate != nil || incident.communication?.lastExternalPhase != .resolved {
                let body = templates.render(before, audience: .external, phase: .resolved, text: publicUpdate, next: nil, now: at)
                entries.append(
                    try incident.publishUpdate(
                        audience: .external, phase: .resolved, body: body, nextUpdateAt: nil,
                        components: page.affected(by: incident, phase: .resolved), by: author, at: at))
            }
            return entries
        }
    }

    /// An acknowledgement that holds paging for `timeoutMinutes` from now, when given.
    func acknowledge(_ key: String, author: String, note: String?, timeoutMinutes: Int?, at given: Date?) async throws -> Incident {
        // The hold runs from when the request arrives, whenever the acknowledgement is dated.
        let hold: (@Sendable (inout Escalation, Incident) -> Void)? = timeoutMinutes.map { minutes in
            let deadline = env.now().addingTimeInterval(Double(minutes) * 60)
            return { escalation, _ in escalation.hold(until: deadline) }
        }
        return try await apply(key, author: author, at: given, escalation: hold) { incident, author, at in
            try incident.acknowledge(note: note, timeoutMinutes: timeoutMinutes, by: author, at: at)
        }
    }

    /// Pages the next escalation level now.
    func escalate(_ key: String, author: String) async throws -> Incident {
        let now = env.now()
        return try await apply(key, author: author, escalation: { escalation, _ in escalation.escalateNow(at: now) }) {
            incident, author, at in
            try incident.escalateByHand(by: author, at: at)
        }
    }
}
