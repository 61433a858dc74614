import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// The admin page's forms: people's accounts, roles and passwords, and API tokens. Each change
/// is written to the audit log with the admin as its actor, as the API's are.
struct AdminController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("admin") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            guard signedIn.user.role == .admin else {
                return pages.page("missing", ["person": signedIn.view, "what": "Only admins may see this page"], status: .forbidden)
            }
            let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }
            return pages.page("admin", try await AdminPage.build(for: signedIn, env: env, notice: notice))
        }
        form(router, "users", fields: ["id", "name", "email", "role", "timeZone"], kind: "user") { form, _ in
            let role = try form.choice("role", Role.self) ?? .responder
            let email = try form.required("email", "The email address")
            let contact = try ContactMethod(id: UUID(), kind: .email, address: email, verifiedAt: nil)
            let user = try User(
                id: try form.required("id", "The username"), name: try form.required("name", "The name"), email: email,
                timeZone: form.text("timeZone") ?? "UTC", contactMethods: [contact], createdAt: env.now(), role: role)
            return (try await env.stores.onCall.createUser(user).id, "created")
        }
        form(router, "users/:id/role", fields: ["role"], kind: "user") { form, id in
            guard let role = try form.choice("role", Role.self) else { throw Problem.invalid("role", "Choose a role.") }
            _ = try await env.stores.onCall.updateUser(id!, UserEdit(role: role))
            return (id!, "role")
        }
        form(router, "users/:id/password", fields: ["password", "again"], kind: "user") { form, id in
            let password = form.fields["password"] ?? ""
            guard password == form.fields["again"] else {
                throw Problem.invalid("again", "The two passwords differ; nothing was changed.")
            }
            guard try await env.stores.onCall.user(id!) != nil else { throw Problem.notFound("No user '\(id!.prefix(80))'.") }
            try await env.stores.access.setPassword(user: id!, hash: try await Self.hash(password), at: env.now())
            return (id!, "password")
        }
        router.post("admin/users/:id/details") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(
                request, form: "details-\(id)", fields: ["name", "email", "timeZone"], needs: .admin, back: "/admin"
            ) { form, signedIn in
                let before = try await PageAudit(env: env).snapshot("user", id)
                let edit = UserEdit(
                    name: try form.required("name", "The name"), email: try form.required("email", "The email address"),
                    timeZone: try form.required("timeZone", "The time zone"))
                _ = try await env.stores.onCall.updateUser(id, edit)
                try await audit(signedIn, "POST /admin/users/{id}/details", kind: "user", subject: id, before: before)
                return .redirect("/admin?done=details")
            } refused: { signedIn, failure in
                pages.page("admin", try await AdminPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
        form(router, "users/:id/deactivate", fields: [], kind: "user") { _, id in
            _ = try await env.stores.onCall.deactivateUser(id!, at: env.now())
            return (id!, "deactivated")
        }
        form(router, "users/:id/reactivate", fields: [], kind: "user") { _, id in
            _ = try await env.stores.onCall.reactivateUser(id!)
            return (id!, "reactivated")
        }
        router.post("admin/tokens") { request, _ -> Response in
            try await PageFormRunner(env: env).run(
                request, form: "tokens", fields: ["name", "role", "expires"], needs: .admin, back: "/admin"
            ) {
                form, signedIn in
                guard let role = try form.choice("role", Role.self) else { throw Problem.invalid("role", "Choose a role.") }
                let now = env.now()
                let expiresAt = try form.text("expires").map { text -> Date in
                    guard let seconds = DurationText.parse(text), seconds > 0 else {
                        throw Problem.invalid("expires", "Say how long it lasts as \(DurationText.forms), or leave it empty.")
                    }
                    return now.addingTimeInterval(Double(seconds))
                }
                let (token, secret) = try await env.stores.access.createToken(
                    name: try form.required("name", "The name"), role: role, expiresAt: expiresAt, at: now)
                try await audit(signedIn, "POST /admin/tokens", kind: "token", subject: token.id.uuidString, before: nil)
                let page = try await AdminPage.build(for: signedIn, env: env, created: .init(name: token.name, secret: secret))
                return .page(pages.page("admin", page, status: .created))
            } refused: { signedIn, failure in
                pages.page("admin", try await AdminPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
        router.post("admin/tokens/:id/revoke") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(request, form: "revoke", fields: [], needs: .admin, back: "/admin") {
                _, signedIn in
                let before = try await PageAudit(env: env).snapshot("token", id)
                // A person signed in holds no token of their own to guard against revoking.
                _ = try await env.stores.access.revokeToken(id, by: nil, at: env.now())
                try await audit(signedIn, "POST /admin/tokens/{id}/revoke", kind: "token", subject: id, before: before)
                return .redirect("/admin?done=revoked")
            } refused: { signedIn, failure in
                pages.page("admin", try await AdminPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }

    static let notices = [
        "created": "The person was added.", "role": "The role was changed.",
        "password": "The password was set; any session of theirs has ended.", "deactivated": "The person was deactivated.",
        "reactivated": "The person was reactivated.", "revoked": "The token was revoked.", "details": "The person's details were saved.",
    ]

    /// An admin form at `admin/<path>` that changes the `kind` object `perform` names, audited.
    private func form(
        _ router: Router<MusterRequestContext>, _ path: String, fields: Set<String>, kind: String,
        perform: @escaping @Sendable (WebForm, String?) async throws -> (subject: String, done: String)
    ) {
        router.post(RouterPath("admin/\(path)")) { request, context -> Response in
            let id = context.parameters.get("id")
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return try await PageFormRunner(env: env).run(request, form: name, fields: fields, needs: .admin, back: "/admin") {
                form, signedIn in
                var before: JSONTree?
                if let id { before = try await PageAudit(env: env).snapshot(kind, id) }
                let (subject, done) = try await perform(form, id)
                try await audit(signedIn, "POST /admin/\(path)", kind: kind, subject: subject, before: before)
                return .redirect("/admin?done=\(done)")
            } refused: { signedIn, failure in
                pages.page("admin", try await AdminPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }

    private func audit(_ signedIn: WebAuth.SignedIn, _ action: String, kind: String, subject: String, before: JSONTree?) async throws {
        try await PageAudit(env: env).record(signedIn, action, kind: kind, subject: subject, before: before)
    }

    /// bcrypt at cost 12 takes a good fraction of a second: off the cooperative threads.
    static func hash(_ password: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Passwords.hash(password) })
            }
        }
    }
}
