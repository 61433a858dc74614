import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// On-call set-up from the browser: the escalation policy editor (`/policies/new`,
/// `/policies/{id}`), and the forms of `/oncall` that add schedules and add, edit and remove
/// teams, as the API's `/escalation-policies`, `/schedules` and `/teams` do.
struct OnCallFormsController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("policies/new") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            return pages.page("policy", try await PolicyPage.build(nil, for: signedIn, env: env))
        }
        router.get("policies/:id") { request, context -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let id = try context.parameters.require("id")
            guard let policy = try await env.stores.onCall.escalationPolicy(id) else {
                return pages.page(
                    "missing", ["person": signedIn.view, "what": "No escalation policy '\(id.prefix(80))'"], status: .notFound)
            }
            let notice = request.uri.queryParameters.get("done") == "saved" ? "The policy was saved." : nil
            return pages.page("policy", try await PolicyPage.build(policy, for: signedIn, env: env, notice: notice))
        }
        router.post("policies") { request, _ -> Response in
            try await policyForm(request, id: nil) { form in
                let id = try form.required("id", "The id")
                guard id != "new" else { throw Problem.invalid("id", "'new' is this page's own address; choose another id.") }
                let policy = try PolicyForm.policy(form, id: id, names: try await targetNames())
                return try await env.stores.onCall.createEscalationPolicy(policy, at: env.now()).id
            }
        }
        router.post("policies/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await policyForm(request, id: id) { form in
                try await env.stores.onCall.replaceEscalationPolicy(try PolicyForm.policy(form, id: id, names: try await targetNames())).id
            }
        }
        router.post("policies/:id/delete") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await onCallForm(
                request, "POST /policies/{id}/delete", form: "policy-delete", fields: [], kind: "escalation-policy", subject: id
            ) { _ in
                try await env.stores.onCall.deleteEscalationPolicy(id)
                return "policy-removed"
            }
        }
        router.post("schedules") { request, _ -> Response in
            let fields: Set<String> = ["id", "name", "timeZone", "users", "shiftLength", "unit", "start"]
            return try await PageFormRunner(env: env).run(request, form: "schedule", fields: fields, back: "/oncall") { form, signedIn in
                let id = try form.required("id", "The id")
                let timeZone = form.text("timeZone") ?? "UTC"
                guard let unit = try form.choice("unit", ShiftUnit.self) else {
                    throw Problem.invalid("unit", "Choose hours, days or weeks.")
                }
                guard let length = try form.number("shiftLength", "The shift length", in: 1...10_000) else {
                    throw Problem.invalid("shiftLength", "Say how long a shift is.")
                }
                let rotation = try Rotation(
                    name: "rotation", users: form.list("users"), shiftLength: length, unit: unit,
                    start: try form.time("start") ?? env.now(),
                    timeZone: timeZone)
                let record = try ScheduleRecord(
                    id: id, name: try form.required("name", "The name"), timeZone: timeZone, schedule: Schedule(layers: [rotation]),
                    createdAt: env.now())
                do {
                    _ = try await env.stores.onCall.createSchedule(record)
                } catch StoreError.invalid(let field, let reason) where field == "layers.users" {
                    throw Problem.invalid("users", "The rotation \(reason)")
                }
                try await PageAudit(env: env).record(signedIn, "POST /schedules", kind: "schedule", subject: id, before: nil)
                return .redirect("/schedules/\(id)?done=created")
            } refused: { signedIn, failure in
                pages.page("oncall", try await OnCallPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
        router.post("teams") { request, _ -> Response in
            try await onCallForm(request, "POST /teams", form: "team", fields: ["id", "name", "members"], kind: "team", subject: nil) {
                form in
                let team = try Team(
                    id: try form.required("id", "The id"), name: try form.required("name", "The name"), members: form.list("members"),
                    createdAt: env.now())
                _ = try await env.stores.onCall.createTeam(team)
                return "team"
            }
        }
        router.post("teams/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await onCallForm(
                request, "POST /teams/{id}", form: "team-\(id)", fields: ["name", "members"], kind: "team", subject: id
            ) { form in
                _ = try await env.stores.onCall.updateTeam(id, name: try form.required("name", "The name"), members: form.list("members"))
                return "team-saved"
            }
        }
        router.post("teams/:id/delete") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await onCallForm(request, "POST /teams/{id}/delete", form: "team-delete", fields: [], kind: "team", subject: id) {
                _ in
                try await env.stores.onCall.deleteTeam(id)
                return "team-removed"
            }
        }
    }

    private func targetNames() async throws -> EscalationTargetText { try await PolicyPage.targetNames(env) }

    /// Creates (`id` nil) or saves a policy; audited, and back to its page.
    private func policyForm(_ request: Request, id: String?, save: @escaping @Sendable (WebForm) async throws -> String) async throws
        -> Response
    {
        let back = id.map { "/policies/\($0)" } ?? "/policies/new"
        return try await PageFormRunner(env: env).run(request, form: "policy", fields: PolicyForm.fields, back: back) { form, signedIn in
            var before: JSONTree?
            if let id { before = try await PageAudit(env: env).snapshot("escalation-policy", id) }
            let saved = try await save(form)
            try await PageAudit(env: env).record(
                signedIn, id == nil ? "POST /policies" : "POST /policies/{id}", kind: "escalation-policy", subject: saved, before: before)
            return .redirect("/policies/\(saved)?done=saved")
        } refused: { signedIn, failure in
            var policy: EscalationPolicy?
            if let id { policy = try await env.stores.onCall.escalationPolicy(id) }
            return pages.page(
                "policy", try await PolicyPage.build(policy, for: signedIn, env: env, failure: failure), status: failure.status)
        }
    }

    /// A form of `/oncall`: audited, and back to the page with what was done, or the page again
    /// with the reason.
    private func onCallForm(
        _ request: Request, _ action: String, form name: String, fields: Set<String>, kind: String, subject: String?,
        perform: @escaping @Sendable (WebForm) async throws -> String
    ) async throws -> Response {
        try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: "/oncall") { form, signedIn in
            var before: JSONTree?
            if let subject { before = try await PageAudit(env: env).snapshot(kind, subject) }
            let done = try await perform(form)
            let id = subject ?? form.text("id") ?? ""
            try await PageAudit(env: env).record(signedIn, action, kind: kind, subject: id, before: before)
            return .redirect("/oncall?done=\(done)")
        } refused: { signedIn, failure in
            pages.page("oncall", try await OnCallPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
        }
    }
}
