import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/alerts` and its silence forms: create (after a preview of what the silence takes), extend, expire.
struct AlertsController {
    let env: APIEnvironment
    let pages: WebPages

    static let silenceFields: Set<String> = ["matchers", "duration", "comment", "expireWhenResolved", "intent"]

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("alerts") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let parameters = request.uri.queryParameters
            let notice = parameters.get("done").flatMap { Self.notices[$0] }
            let page = try await AlertsPage.build(
                for: signedIn, env: env, status: parameters.get("status") ?? "firing", service: parameters.get("service") ?? "",
                notice: notice)
            return pages.page("alerts", page)
        }
        router.post("silences") { request, _ -> Response in
            try await PageFormRunner(env: env).run(request, form: "silence", fields: Self.silenceFields, back: "/alerts") {
                form, signedIn in
                let now = env.now()
                let matchers = try form.list("matchers", separatedBy: .newlines).map { text throws(IncidentError) in
                    try LabelMatcher.parse(text)
                }
                guard !matchers.isEmpty else {
                    throw Problem.invalid("matchers", "Give at least one matcher, such as alertname=\"DiskFull\".")
                }
                let text = try form.required("duration", "How long")
                guard let seconds = DurationText.parse(text), seconds > 0 else {
                    throw Problem.invalid("duration", "How long must be \(DurationText.forms).")
                }
                let silence = try Silence(
                    id: UUID(), matchers: matchers, startsAt: now, endsAt: now.addingTimeInterval(Double(seconds)),
                    createdBy: signedIn.user.id,
                    comment: try form.required("comment", "The reason"), expireWhenResolved: form.text("expireWhenResolved") == "on",
                    createdAt: now)
                let preview = try await SilencePreview.of(matchers, in: env.stores.alerts)
                guard form.text("intent") == "create" else {
                    let view = AlertsPage.Preview(
                        firing: preview.firingAlerts, complete: preview.complete,
                        sample: preview.sample.map { "\($0.service): \($0.summary)" + ($0.incident.map { " (\($0))" } ?? "") },
                        matchers: matchers.map(\.description).joined(separator: ", "))
                    let page = try await AlertsPage.build(for: signedIn, env: env, preview: view, values: form.retyped)
                    return .page(pages.page("alerts", page))
                }
                let created = try await env.stores.alerts.createSilence(silence)
                try await PageAudit(env: env).record(
                    signedIn, "POST /silences", kind: "silence", subject: created.id.uuidString, before: nil)
                return .redirect("/alerts?done=silenced")
            } refused: { signedIn, failure in
                pages.page("alerts", try await AlertsPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
        router.post("silences/:id/extend") { request, context -> Response in
            try await change(request, context, form: "extend", fields: ["duration"]) { form, id in
                let text = try form.required("duration", "How much longer")
                guard let seconds = DurationText.parse(text), seconds > 0 else {
                    throw Problem.invalid("duration", "How much longer must be \(DurationText.forms).")
                }
                let silence = try await env.stores.alerts.silences(includeExpired: false, at: env.now()).first { $0.id == id }
                guard let silence else { throw Problem.notFound("That silence has ended already.") }
                _ = try await env.stores.alerts.rescheduleSilence(
                    id, endsAt: silence.endsAt.addingTimeInterval(Double(seconds)), at: env.now())
                return "extended"
            }
        }
        router.post("silences/:id/expire") { request, context -> Response in
            try await change(request, context, form: "expire", fields: []) { _, id in
                _ = try await env.stores.alerts.expireSilence(id, at: env.now())
                return "expired"
            }
        }
    }

    static let notices = [
        "silenced": "The silence was made.", "extended": "The silence was extended.", "expired": "The silence was ended.",
    ]

    private func change(
        _ request: Request, _ context: MusterRequestContext, form name: String, fields: Set<String>,
        perform: @escaping @Sendable (WebForm, UUID) async throws -> String
    ) async throws -> Response {
        let text = try context.parameters.require("id")
        return try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: "/alerts") { form, signedIn in
            guard let id = UUID(uuidString: text) else { throw Problem.notFound("No silence '\(text.prefix(40))'.") }
            let before = try await PageAudit(env: env).snapshot("silence", text)
            let done = try await perform(form, id)
            try await PageAudit(env: env).record(signedIn, "POST /silences/{id}/\(name)", kind: "silence", subject: text, before: before)
            return .redirect("/alerts?done=\(done)")
        } refused: { signedIn, failure in
            pages.page("alerts", try await AlertsPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
        }
    }
}
