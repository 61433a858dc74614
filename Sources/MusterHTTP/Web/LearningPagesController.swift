import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/insights` (the seeds' metrics, with SVG charts), `/actions` (open action items, added and
/// moved on from the page) and `/changes` (deploys and configuration changes, recorded there too).
struct LearningPagesController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("insights") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let parameters = request.uri.queryParameters
            let since = parameters.get("since") ?? "30d"
            let service = parameters.get("service").flatMap { $0.isEmpty ? nil : $0 }
            let severity = parameters.get("severity").flatMap { $0.isEmpty ? nil : $0 }
            var filters = ["since": since]
            if let service { filters["service"] = service }
            if let severity { filters["severity"] = severity }
            do {
                let report = try await InsightsController.report(try await InsightsController.Period.read(filters, env: env), env: env)
                return pages.page(
                    "insights",
                    try await InsightsPage.build(report, for: signedIn, env: env, since: since, service: service, severity: severity))
            } catch let problem as Problem {
                return pages.page(
                    "insights",
                    try await InsightsPage.build(
                        nil, for: signedIn, env: env, since: since, service: service, severity: severity, error: problem.detail),
                    status: .badRequest)
            }
        }
        router.get("changes") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let parameters = request.uri.queryParameters
            let service = parameters.get("service").flatMap { $0.isEmpty ? nil : $0 }
            var since = parameters.get("since") ?? "7d"
            if DurationText.parse(since) == nil { since = "7d" }
            let notice = parameters.get("done") == "saved" ? "The change was recorded." : nil
            return pages.page("changes", try await ChangesPage.build(for: signedIn, env: env, service: service, since: since, notice: notice))
        }
        router.post("changes") { request, _ -> Response in
            try await PageFormRunner(env: env).run(request, form: "change", fields: ["service", "summary", "at", "link"], back: "/changes") {
                form, _ in
                let now = env.now()
                let at = try form.time() ?? now
                let change: ChangeEvent
                do {
                    change = try ChangeEvent(
                        id: UUID(), service: form.text("service") ?? "", summary: form.text("summary") ?? "", at: at, receivedAt: now,
                        links: form.text("link").map { [AlertLink(href: $0)] } ?? [], via: "api")
                } catch let error as IncidentError {
                    // The form's own names for the fields the rule names.
                    let field = ["links.href": "link", "timestamp": "at"][error.field ?? ""] ?? error.field
                    throw Problem.invalid(field, error.message)
                }
                _ = try await env.stores.changes.recordChange(change)
                return .redirect("/changes?done=saved")
            } refused: { signedIn, failure in
                pages.page(
                    "changes", try await ChangesPage.build(for: signedIn, env: env, service: nil, since: "7d", failure: failure),
                    status: failure.status)
            }
        }
        router.get("actions") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done") == "saved" ? "Saved." : nil
            return pages.page("actions", try await ActionItemsPage.build(for: signedIn, env: env, notice: notice))
        }
        router.post("actions") { request, _ -> Response in
            try await PageFormRunner(env: env).run(
                request, form: "item", fields: ["title", "owner", "priority", "due", "incident", "back"], back: "/actions"
            ) {
                form, signedIn in
                var incident: Incident?
                if let key = form.text("incident") { incident = try await Postmortems(env: env).incident(key) }
                let postmortem = try await incident.asyncMapped { try await env.stores.learning.postmortem(ofIncident: $0.id)?.id } ?? nil
                let item = try ActionItem(
                    id: UUID(), title: form.text("title") ?? "", owner: form.text("owner") ?? "",
                    dueAt: try form.time("due"), priority: try form.choice("priority", ActionPriority.self) ?? .p1, incident: incident,
                    postmortemID: postmortem, by: signedIn.user.id, at: env.now())
                _ = try await env.stores.learning.createActionItem(item)
                // Back to the post-mortem editor it was added from; never anywhere else.
                if let back = form.text("back"), let incident, back == "/incidents/\(incident.reference)/postmortem" {
                    return .redirect(back + "?done=item#section-action-items")
                }
                return .redirect("/actions?done=saved")
            } refused: { signedIn, failure in
                pages.page("actions", try await ActionItemsPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
        router.post("actions/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(request, form: "move", fields: ["status", "reason"], back: "/actions") {
                form, _ in
                guard let uuid = UUID(uuidString: id) else { throw Problem.notFound("No action item '\(id.prefix(60))'.") }
                let status = try form.choice("status", ActionStatus.self) ?? .open
                let reason = form.text("reason")
                let now = env.now()
                _ = try await env.stores.learning.updateActionItem(uuid) { try $0.move(to: status, reason: reason, at: now) }
                return .redirect("/actions?done=saved")
            } refused: { signedIn, failure in
                pages.page("actions", try await ActionItemsPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }
}
