import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// The forms of the incident page. Each runs the same core rule as its API endpoint, authored by
/// the signed-in person; success goes back to the incident, a refusal shows the page again with
/// the message beside the field and what was typed still in the form.
struct IncidentFormsController {
    let env: APIEnvironment
    let pages: WebPages

    /// One form: the fields it may send, and what it does with them for `author`.
    struct Action: Sendable {
        var fields: Set<String>
        var perform: @Sendable (WebForm, _ key: String, _ author: String) async throws -> Void
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        let actions = actions()
        router.post("incidents/:id/:action") { request, context -> Response in
            let name = try context.parameters.require("action")
            if name == "update" { return try await update(request, context) }
            guard let action = actions[name] else { throw Problem.notFound("No form '\(name.prefix(40))' on an incident.") }
            return try await handle(request, context, form: name, fields: action.fields, perform: action.perform)
        }
        router.post("incidents/:id/changes/:change/suspect") { request, context -> Response in
            let change = try context.parameters.require("change")
            return try await handle(request, context, form: "suspect-\(change)", fields: ["reason"]) { form, key, author in
                guard let id = UUID(uuidString: change), let found = try await env.stores.changes.change(id) else {
                    throw Problem.notFound("No change '\(change.prefix(40))'.")
                }
                _ = try await ChangeController.suspect(
                    found, in: try await Postmortems(env: env).incident(key), reason: form.text("reason"), by: author, env: env)
            }
        }
        router.post("incidents/:id/hypotheses/:entry") { request, context -> Response in
            let entry = try context.parameters.require("entry")
            return try await handle(request, context, form: "hypothesis-\(entry)", fields: ["state"]) { form, key, author in
                guard let id = UUID(uuidString: entry) else { throw Problem.notFound("No timeline entry '\(entry.prefix(40))'.") }
                guard let state = try form.choice("state", HypothesisState.self) else {
                    throw Problem.invalid("state", "Say where the hypothesis stands.")
                }
                _ = try await env.stores.incidents.settleHypothesis(incident: key, entry: id, as: state, by: author, at: env.now())
            }
        }
    }

    private func handle(
        _ request: Request, _ context: MusterRequestContext, form name: String, fields: Set<String>,
        perform: @escaping @Sendable (WebForm, String, String) async throws -> Void
    ) async throws -> Response {
        let key = try context.parameters.require("id")
        let here = "/incidents/\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? "")"
        return try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: here) { form, signedIn in
            try await perform(form, key, signedIn.user.id)
            return .redirect(here)
        } refused: { signedIn, failure in
            guard let incident = try await env.stores.incidents.incident(key) else {
                throw Problem.notFound("No incident '\(key.prefix(80))'.")
            }
            let page = try await IncidentDetailPage.build(
                incident, for: signedIn, env: env, banner: failure.banner, errors: failure.errors, values: [name: failure.values])
            return pages.page("incident", page, status: failure.status)
        }
    }

    /// The update composer: previews show the page again with the update as written; publishing
    /// goes back to the incident.
    private func update(_ request: Request, _ context: MusterRequestContext) async throws -> Response {
        let key = try context.parameters.require("id")
        let here = "/incidents/\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? "")"
        let fields: Set<String> = ["audience", "phase", "text", "nextUpdateIn", "intent"]
        return try await PageFormRunner(env: env).run(request, form: "update", fields: fields, back: here) { form, signedIn in
            guard let audience = try form.choice("audience", UpdateAudience.self) else {
                throw Problem.invalid("audience", "Choose who it is for.")
            }
            guard let phase = try form.choice("phase", UpdatePhase.self) else { throw Problem.invalid("phase", "Choose the phase.") }
            var next: Date?
            if let text = form.text("nextUpdateIn") {
                guard let seconds = DurationText.parse(text), seconds > 0 else {
                    throw Problem.invalid("nextUpdateIn", "The next update must be \(DurationText.forms) from now.")
                }
                next = env.now().addingTimeInterval(Double(seconds))
            }
            let preview = form.text("intent") != "publish"
            let written = try await StatusUpdates(env: env).write(
                key, .init(audience: audience, phase: phase, text: form.text("text"), nextUpdateAt: next), author: signedIn.user.id,
                preview: preview)
            guard preview else { return .redirect(here) }
            guard let incident = try await env.stores.incidents.incident(key) else {
                throw Problem.notFound("No incident '\(key.prefix(80))'.")
            }
            let page = try await IncidentDetailPage.build(
                incident, for: signedIn, env: env, updatePreview: written.body, values: ["update": form.retyped])
            return .page(pages.page("incident", page))
        } refused: { signedIn, failure in
            guard let incident = try await env.stores.incidents.incident(key) else {
                throw Problem.notFound("No incident '\(key.prefix(80))'.")
            }
            let page = try await IncidentDetailPage.build(
                incident, for: signedIn, env: env, banner: failure.banner, errors: failure.errors, values: ["update": failure.values])
            return pages.page("incident", page, status: failure.status)
        }
    }

    private func actions() -> [String: Action] {
        let updates = IncidentUpdates(env: env)
        let scheme = env.scheme
        let window = env.reopenWindowSeconds
        return [
            "acknowledge": Action(fields: ["note", "timeoutMinutes", "at"]) { form, key, author in
                _ = try await updates.acknowledge(
                    key, author: author, note: form.text("note"),
                    timeoutMinutes: try form.number("timeoutMinutes", "The timeout", in: 1...10_080), at: try form.time())
            },
            "status": Action(fields: ["status", "note", "at"]) { form, key, author in
                guard let status = try form.choice("status", IncidentStatus.self) else {
                    throw Problem.invalid("status", "Choose a status.")
                }
                if status == .resolved { throw Problem.invalid("status", "Resolve with the Resolve form, which asks what fixed it.") }
                let note = form.text("note")
                _ = try await updates.apply(key, author: author, at: try form.time()) { incident, author, at in
                    try incident.transition(to: status, note: note, by: author, at: at)
                }
            },
            "severity": Action(fields: ["severity", "reason"]) { form, key, author in
                let severity = try form.required("severity", "The severity")
                let reason = form.text("reason")
                _ = try await updates.apply(key, author: author) { incident, author, at in
                    try incident.changeSeverity(to: severity, reason: reason, scheme: scheme, by: author, at: at)
                }
            },
            "roles": Action(fields: ["role", "assignee", "at"]) { form, key, author in
                guard let role = try form.choice("role", IncidentRole.self) else { throw Problem.invalid("role", "Choose a role.") }
                let assignee = try form.required("assignee", "The person")
                try await RoleHolders(env: env).require(assignee, outside: false)
                _ = try await updates.apply(key, author: author, at: try form.time()) { incident, author, at in
                    try incident.assign(role, to: assignee, by: author, at: at)
                }
            },
            "unassign": Action(fields: ["role", "assignee"]) { form, key, author in
                guard let role = try form.choice("role", IncidentRole.self) else { throw Problem.invalid("role", "Choose a role.") }
                let assignee = form.text("assignee")
                _ = try await updates.apply(key, author: author) { incident, author, at in
                    try incident.unassign(role, assignee: assignee, by: author, at: at)
                }
            },
            "timeline": Action(fields: ["kind", "text", "state", "result", "mitigation", "target", "markMitigated", "runHook", "at"]) {
                form, key, author in
                guard let kind = try form.choice("kind", TimelineKind.self) else {
                    throw Problem.invalid("kind", "Choose a kind of entry.")
                }
                let text = try form.required("text", "The text")
                let state = kind == .hypothesis ? try form.choice("state", HypothesisState.self) : nil
                let result = kind == .action ? try form.choice("result", ActionResult.self) : nil
                // The action fields are ignored for other kinds, as the form hides them.
                let mitigation = kind == .action ? try form.choice("mitigation", MitigationKind.self) : nil
                let target = kind == .action ? form.text("target") : nil
                let entry = TimelineEntries.Entry(
                    kind: kind, text: text, hypothesis: state, result: result, mitigation: mitigation, target: target,
                    markMitigated: kind == .action && form.text("markMitigated") == "true",
                    runHook: kind == .action && form.text("runHook") == "true", at: try form.time())
                _ = try await TimelineEntries(env: env).record(entry, on: key, by: author)
            },
            "warroom": Action(fields: ["channel", "bridge"]) { form, key, author in
                let edit = IncidentEdit(channel: form.fields["channel"] ?? "", bridge: form.fields["bridge"] ?? "")
                _ = try await updates.apply(key, author: author) { incident, author, at in
                    try incident.edit(edit, by: author, at: at)
                }
            },
            "pagename": Action(fields: ["publicName"]) { form, key, author in
                let edit = IncidentEdit(publicName: form.fields["publicName"] ?? "")
                _ = try await updates.apply(key, author: author) { incident, author, at in
                    try incident.edit(edit, by: author, at: at)
                }
            },
            "escalate": Action(fields: []) { _, key, author in
                _ = try await updates.escalate(key, author: author)
            },
            "reassign": Action(fields: ["users", "schedules", "policy", "note"]) { form, key, author in
                let assignment = try Reassignment(users: form.list("users"), schedules: form.list("schedules"), policy: form.text("policy"))
                _ = try await env.stores.paging.reassign(key, to: assignment, note: form.text("note"), by: author, at: env.now())
            },
            "resolve": Action(fields: ["resolution", "rootCause", "publicUpdate", "at", "force"]) { form, key, author in
                _ = try await updates.resolve(
                    key, author: author, at: try form.time(), resolution: form.text("resolution"), rootCause: form.text("rootCause"),
                    publicUpdate: form.text("publicUpdate"), force: form.text("force"))
            },
            "checklist": Action(fields: ["item", "state", "reason"]) { form, key, author in
                guard let state = try form.choice("state", ChecklistMark.State.self) else { throw Problem.invalid("state", "Say where it stands.") }
                _ = try await Checklists(env: env).mark(
                    key, item: try form.required("item", "The item"), as: state, reason: form.text("reason"), by: author)
            },
            "runbook-checklist": Action(fields: ["runbook"]) { form, key, author in
                let id = try form.required("runbook", "The runbook")
                guard let runbook = try await env.stores.runbooks.runbook(id) else { throw Problem.notFound("No runbook '\(id.prefix(60))'.") }
                _ = try await RunbookController.addChecklist(of: runbook, to: key, by: author, env: env)
            },
            "checklist-item": Action(fields: ["text"]) { form, key, author in
                _ = try await Checklists(env: env).add(key, text: try form.required("text", "What to check"), by: author)
            },
            "close": Action(fields: ["note", "at"]) { form, key, author in
                let note = form.text("note")
                _ = try await updates.apply(key, author: author, at: try form.time()) { incident, author, at in
                    try incident.close(note: note, by: author, at: at)
                }
            },
            "reopen": Action(fields: ["reason"]) { form, key, author in
                let reason = try form.required("reason", "The reason")
                _ = try await updates.apply(key, author: author) { incident, author, at in
                    try incident.reopen(reason: reason, windowSeconds: window, by: author, at: at)
                }
            },
        ]
    }
}
