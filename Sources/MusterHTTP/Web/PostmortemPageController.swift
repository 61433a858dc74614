import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The post-mortem editor's page and forms: draft, save a section, submit, publish (over open
/// findings only with a reason). Each runs what its API route runs, authored by the signed-in person.
struct PostmortemPageController {
    let env: APIEnvironment
    let pages: WebPages

    static let notices = [
        "drafted": "The draft was written from the incident's record.", "saved": "The section was saved.",
        "submitted": "The post-mortem is in review.", "published": "The post-mortem is published.", "item": "The action item was added.",
        "starred": "The entry is in the timeline now.", "unstarred": "The entry is left out of the timeline now.",
    ]

    func addRoutes(to router: Router<MusterRequestContext>) {
        let service = Postmortems(env: env)
        router.get("incidents/:id/postmortem") { request, context -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let done = request.uri.queryParameters.get("done")
            return pages.page(
                "postmortem",
                try await PostmortemPage.build(
                    try context.parameters.require("id"), for: signedIn, env: env, notice: done.flatMap { Self.notices[$0] },
                    momentsOpen: done == "starred" || done == "unstarred"))
        }
        router.get("incidents/:id/postmortem/export") { request, context -> Response in
            guard try await WebAuth(env: env).signedIn(request) != nil else { return WebAuth.signInFirst(request) }
            return try await service.export(try context.parameters.require("id"), format: request.uri.queryParameters.get("format") ?? "md")
        }
        form(router, "incidents/:id/postmortem", "draft", []) { _, key, author in
            _ = try await service.create(key, owner: nil, by: author)
            return "drafted"
        }
        form(router, "incidents/:id/postmortem/sections/:section", "section", ["body", "note"]) { form, key, author in
            let now = env.now()
            let body = form.fields["body"] ?? ""
            let note = form.text("note")
            let section = form.fields["section"] ?? ""
            _ = try await service.update(key) { try $0.edit(section: section, body: body, note: note, by: author, at: now) }
            return "saved"
        }
        form(router, "incidents/:id/postmortem/submit", "submit", ["reviewers"]) { form, key, _ in
            let reviewers = form.list("reviewers")
            for reviewer in reviewers where try await env.stores.onCall.user(reviewer) == nil {
                throw Problem.invalid("reviewers", "'\(reviewer.prefix(60))' is not a user.")
            }
            let now = env.now()
            _ = try await service.update(key) { try $0.submit(reviewers: reviewers, at: now) }
            return "submitted"
        }
        form(router, "incidents/:id/postmortem/starred/:entry", "starred", ["on"]) { form, key, _ in
            guard let entry = form.fields["entry"].flatMap(UUID.init(uuidString:)) else {
                throw Problem.notFound("No timeline entry '\((form.fields["entry"] ?? "").prefix(60))'.")
            }
            guard let on = form.fields["on"].flatMap(Bool.init) else { throw Problem.invalid("on", "'on' must be true or false.") }
            _ = try await service.star(key, entry: entry, on)
            return on ? "starred" : "unstarred"
        }
        form(router, "incidents/:id/postmortem/publish", "publish", ["override"]) { form, key, author in
            _ = try await service.publish(key, override: form.text("override"), by: author)
            return "published"
        }
    }

    /// A form of the editor at `path`; `perform` gets the form (with the route's section, if any),
    /// the incident and the author, and answers the notice to show.
    private func form(
        _ router: Router<MusterRequestContext>, _ path: String, _ name: String, _ fields: Set<String>,
        perform: @escaping @Sendable (WebForm, String, String) async throws -> String
    ) {
        router.post(RouterPath(path)) { request, context -> Response in
            let key = try context.parameters.require("id")
            let section = context.parameters.get("section")
            let formName = section.map { "section-\($0)" } ?? name
            let back = "/incidents/\(key)/postmortem"
            return try await PageFormRunner(env: env).run(request, form: formName, fields: fields, back: back) { form, signedIn in
                var fields = form.fields
                if let section { fields["section"] = section }
                if let entry = context.parameters.get("entry") { fields["entry"] = entry }
                let done = try await perform(WebForm(fields: fields), key, signedIn.user.id)
                let anchor = section.map { "#section-\($0)" } ?? (context.parameters.get("entry") != nil ? "#key-moments" : "")
                return .redirect("\(back)?done=\(done)\(anchor)")
            } refused: { signedIn, failure in
                pages.page(
                    "postmortem", try await PostmortemPage.build(key, for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }
}
