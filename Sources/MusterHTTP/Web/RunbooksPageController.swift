import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The runbooks page and its forms: save one (new or anew) and remove one.
struct RunbooksPageController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("runbooks") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = ["saved": "The runbook was saved.", "removed": "The runbook was removed."][request.uri.queryParameters.get("done") ?? ""]
            return pages.page("runbooks", try await RunbooksPage.build(for: signedIn, env: env, notice: notice))
        }
        router.post("runbooks") { request, _ -> Response in
            try await PageFormRunner(env: env).run(request, form: "runbook", fields: ["id", "title", "services", "labels", "body"], back: "/runbooks") {
                form, signedIn in
                var labels: [String: String] = [:]
                for line in (form.fields["labels"] ?? "").split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, !parts[0].isEmpty else { throw Problem.invalid("labels", "Write one label a line, as NAME=VALUE.") }
                    labels[parts[0]] = parts[1]
                }
                let runbook = try Runbook(
                    id: try form.required("id", "The id"), title: form.text("title") ?? "", services: form.list("services"), labels: labels,
                    body: form.fields["body"] ?? "", by: signedIn.user.id, at: env.now())
                _ = try await env.stores.runbooks.saveRunbook(runbook)
                return .redirect("/runbooks?done=saved")
            } refused: { signedIn, failure in
                pages.page("runbooks", try await RunbooksPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
        router.post("runbooks/:id/remove") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(request, form: "remove", fields: [], back: "/runbooks") { _, _ in
                try await env.stores.runbooks.deleteRunbook(id)
                return .redirect("/runbooks?done=removed")
            } refused: { signedIn, failure in
                pages.page("runbooks", try await RunbooksPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }
}
