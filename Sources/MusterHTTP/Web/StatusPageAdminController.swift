import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/statuspage`: the public page run from the browser. Components, groups and maintenance need
/// a responder; subscribers and the page's settings an admin. Every form is audited as its API
/// route is.
struct StatusPageAdminController {
    let env: APIEnvironment
    let pages: WebPages

    static let notices = [
        "component": "The component was saved.", "status": "The status was set.", "cleared": "The status is derived again.",
        "removed": "It was removed.", "group": "The group was added.", "maintenance": "The maintenance was announced.",
        "posted": "The maintenance was updated.", "subscriber": "The subscriber was added.", "settings": "The settings were saved.",
    ]

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("statuspage") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }
            return pages.page("statuspage", try await StatusPageAdminPage.build(for: signedIn, env: env, notice: notice))
        }
        router.get("statuspage/subscribers.csv") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            guard signedIn.user.role == .admin else {
                throw Problem(
                    status: .forbidden, slug: "forbidden", title: "Not allowed", detail: "Only an admin may export the subscribers.")
            }
            return StatusSubscriberController.csv(try await env.stores.statusPage.subscribers())
        }
        let store = env.stores.statusPage
        form(
            router, "statuspage/components", "component", ["id", "name", "services", "groupID", "position", "description"],
            kind: "status-component"
        ) {
            form, _, _ in
            let id = try form.required("id", "The id")
            let component = try StatusComponent(
                id: id, name: try form.required("name", "The name"), description: form.text("description") ?? "",
                groupID: form.text("groupID"), position: Int(form.text("position") ?? "0") ?? 0, services: form.list("services"),
                createdAt: env.now())
            return (try await store.createStatusComponent(component, at: env.now()).id, "component")
        }
        form(router, "statuspage/components/:id/status", "status", ["status", "reason", "for"], kind: "status-component") {
            form, id, author in
            guard var component = try await store.statusComponent(id) else { throw Problem.notFound("No component '\(id.prefix(80))'.") }
            let request = StatusComponentController.OverrideRequest(
                status: try form.choice("status", ComponentStatus.self) ?? .operational, reason: form.text("reason") ?? "", until: nil,
                for: form.text("for"))
            component.override = try request.override(by: author, at: env.now())
            component.updatedAt = env.now()
            return (try await store.replaceStatusComponent(component).id, "status")
        }
        form(router, "statuspage/components/:id/clear", "clear", [], kind: "status-component") { _, id, _ in
            guard var component = try await store.statusComponent(id) else { throw Problem.notFound("No component '\(id.prefix(80))'.") }
            component.override = nil
            component.updatedAt = env.now()
            return (try await store.replaceStatusComponent(component).id, "cleared")
        }
        form(router, "statuspage/components/:id/delete", "remove", [], kind: "status-component") { _, id, _ in
            try await store.deleteStatusComponent(id)
            return (id, "removed")
        }
        form(router, "statuspage/groups", "group", ["id", "name", "position"], kind: "status-group") { form, _, _ in
            let group = try StatusComponentGroup(
                id: try form.required("id", "The id"), name: try form.required("name", "The name"),
                position: Int(form.text("position") ?? "0") ?? 0, createdAt: env.now())
            return (try await store.createStatusGroup(group).id, "group")
        }
        form(router, "statuspage/groups/:id/delete", "remove", [], kind: "status-group") { _, id, _ in
            try await store.deleteStatusGroup(id)
            return (id, "removed")
        }
        form(
            router, "statuspage/maintenances", "maintenance", ["title", "message", "components", "start", "end", "silence"],
            kind: "maintenance"
        ) {
            form, _, author in
            guard let start = try form.time("start") else { throw Problem.invalid("start", "The start is required.") }
            guard let end = try form.time("end") else { throw Problem.invalid("end", "The end is required.") }
            let maintenance = try await MaintenanceController(env: env).create(
                title: form.text("title") ?? "", message: form.text("message") ?? "", components: form.list("components"), start: start,
                end: end, verifySeconds: nil, silence: form.text("silence") != nil, by: author)
            return (maintenance.id.uuidString, "maintenance")
        }
        form(router, "statuspage/maintenances/:id/updates", "post", ["message", "state"], kind: "maintenance") { form, id, author in
            let state = try form.choice("state", MaintenanceState.self)
            let changed = try await MaintenanceController(env: env).post(id, message: form.text("message"), state: state, by: author)
            return (changed.id.uuidString, "posted")
        }
        form(router, "statuspage/maintenances/:id/delete", "remove", [], kind: "maintenance") { _, id, _ in
            try await MaintenanceController(env: env).delete(id)
            return (id, "removed")
        }
        form(router, "statuspage/subscribers", "subscriber", ["webhook", "components"], kind: "status-subscriber", needs: .admin) {
            form, _, _ in
            let subscriber = try Subscriber(
                id: UUID(), kind: .webhook, address: form.text("webhook") ?? "", components: form.list("components"), createdAt: env.now(),
                confirmedAt: env.now())
            return (try await store.subscribe(subscriber, confirmation: nil).id.uuidString, "subscriber")
        }
        form(router, "statuspage/subscribers/:id/delete", "remove", [], kind: "status-subscriber", needs: .admin) { _, id, _ in
            guard let uuid = UUID(uuidString: id) else { throw Problem.notFound("No subscriber '\(id.prefix(80))'.") }
            try await store.removeSubscriber(uuid)
            return (id, "removed")
        }
        form(
            router, "statuspage/settings", "settings",
            Set(["name", "logoURL", "accentColor", "timeZone", "links"] + env.scheme.levels.map { "level-\($0.name)" }),
            kind: "status-page", needs: .admin
        ) { form, _, _ in
            let links = try form.list("links", separatedBy: .newlines).map { line -> StatusPageLink in
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw Problem.invalid("links", "The line '\(line.prefix(60))' is not Label=https://….") }
                return StatusPageLink(label: parts[0], url: parts[1])
            }
            var map: [String: ComponentStatus] = [:]
            let standard = StatusRollup.standard(for: env.scheme)
            for level in env.scheme.levels {
                if let chosen = try form.choice("level-\(level.name)", ComponentStatus.self),
                    chosen != standard.status(ofSeverity: level.name)
                {
                    map[level.name] = chosen
                }
            }
            let settings = try StatusPageSettings(
                name: form.text("name") ?? "", logoURL: form.text("logoURL"), accentColor: form.text("accentColor") ?? "#1d4ed8",
                timeZone: form.text("timeZone") ?? "UTC", links: links, statusBySeverity: map, scheme: env.scheme, updatedAt: env.now())
            _ = try await store.saveStatusPageSettings(settings)
            return ("settings", "settings")
        }
    }

    /// A form of the page at `path`, audited as `kind`; `perform` gets the form, the route's id (or
    /// empty) and the author, and answers the subject's id and the notice to show.
    private func form(
        _ router: Router<MusterRequestContext>, _ path: String, _ name: String, _ fields: Set<String>, kind: String,
        needs role: Role = .responder,
        perform: @escaping @Sendable (WebForm, String, String) async throws -> (String, String)
    ) {
        router.post(RouterPath(path)) { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            return try await PageFormRunner(env: env).run(request, form: name, fields: fields, needs: role, back: "/statuspage") {
                form, signedIn in
                let audit = PageAudit(env: env)
                let before = id.isEmpty ? nil : try await audit.snapshot(kind, kind == "status-page" ? "settings" : id)
                let (subject, done) = try await perform(form, id, signedIn.user.id)
                try await audit.record(
                    signedIn, "POST \(request.uri.path)", kind: kind, subject: kind == "status-page" ? "settings" : subject, before: before)
                return .redirect("/statuspage?done=\(done)")
            } refused: { signedIn, failure in
                pages.page(
                    "statuspage", try await StatusPageAdminPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }
}
