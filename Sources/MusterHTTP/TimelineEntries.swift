import Foundation
import MusterCore

/// A responder's timeline entry, as the API and the pages both record it: an action may mark the
/// incident mitigated, or call the hook configured for its mitigation kind.
struct TimelineEntries {
    let env: APIEnvironment

    /// What a responder wrote.
    struct Entry: Sendable {
        var kind: TimelineKind
        var text: String
        var hypothesis: HypothesisState?
        var result: ActionResult?
        var mitigation: MitigationKind?
        var target: String?
        var markMitigated = false
        var runHook = false
        var at: Date?
    }

    /// Records `entry` on incident `key`; with `runHook`, then calls the mitigation's hook and
    /// records its answer. The entry is kept whatever the hook does.
    func record(_ entry: Entry, on key: String, by author: String) async throws -> (Incident, MitigationHookAnswer?) {
        var hook: (kind: MitigationKind, url: String, shown: String)?
        if entry.runHook {
            let kind = try env.mitigationHooks.check(kind: entry.kind, mitigation: entry.mitigation, markMitigated: entry.markMitigated)
            guard env.callMitigationHook != nil, let url = env.mitigationHooks.url(for: kind),
                let shown = env.mitigationHooks.shownAddress(for: kind)
            else {
                throw Problem.invalid("runHook", "This server calls no hooks: it has no outbound delivery.")
            }
            hook = (kind, url, shown)
        }
        let updates = IncidentUpdates(env: env)
        let incident = try await updates.apply(key, author: author, at: entry.at) { incident, author, at in
            let draft = try incident.record(
                kind: entry.kind, text: entry.text, hypothesis: entry.hypothesis, result: entry.result, mitigation: entry.mitigation,
                target: entry.target, by: author, at: at)
            return entry.markMitigated ? try incident.mitigated(by: draft, at: at) : [draft]
        }
        guard let hook, let caller = env.callMitigationHook else { return (incident, nil) }
        let request = MitigationHookCall(
            id: UUID(), incident: incident, publicURL: env.publicURL, mitigation: hook.kind, target: entry.target, text: entry.text,
            by: author, at: env.now())
        let answer = await caller(request, hook.url, hook.shown)
        let answered = try await updates.apply(key, author: author) { incident, _, now in
            [incident.hookAnswered(answer, mitigation: hook.kind, call: request.id, by: "muster", at: now)]
        }
        return (answered, answer)
    }
}
