import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The signed-in person's own account: their details, and a new password once they give the
/// one they have. Any role may change its own; each change is audited.
struct AccountController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("account") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done").flatMap { AccountPage.notices[$0] }
            return pages.page("account", AccountPage.build(for: signedIn, notice: notice))
        }
        router.post("account") { request, _ -> Response in
            try await PageFormRunner(env: env).run(
                request, form: "details", fields: ["name", "email", "timeZone"], needs: .viewer, back: "/account"
            ) { form, signedIn in
                let id = signedIn.user.id
                let before = try await PageAudit(env: env).snapshot("user", id)
                let edit = UserEdit(
                    name: try form.required("name", "Your name"), email: try form.required("email", "Your email address"),
                    timeZone: try form.required("timeZone", "Your time zone"))
                _ = try await env.stores.onCall.updateUser(id, edit)
                try await PageAudit(env: env).record(signedIn, "POST /account", kind: "user", subject: id, before: before)
                return .redirect("/account?done=details")
            } refused: { signedIn, failure in
                pages.page("account", AccountPage.build(for: signedIn, failure: failure), status: failure.status)
            }
        }
        router.post("account/password") { request, _ -> Response in
            try await PageFormRunner(env: env).run(
                request, form: "password", fields: ["current", "password", "again"], needs: .viewer, back: "/account"
            ) { form, signedIn in
                let id = signedIn.user.id
                let now = env.now()
                // Guessing the current password here is as limited as guessing it at sign-in.
                if let wait = env.signInFailuresByAccount.wait(for: id, at: now) {
                    throw Problem.invalid("current", "Too many wrong passwords; try again in \(max(1, Int((wait / 60).rounded(.up)))) min.")
                }
                guard let hash = try await env.stores.access.passwordHash(user: id),
                    Passwords.verify(form.fields["current"] ?? "", hash: hash)
                else {
                    _ = env.signInFailuresByAccount.take(1, for: id, at: now)
                    throw Problem.invalid("current", "That is not your current password.")
                }
                let password = form.fields["password"] ?? ""
                guard password == form.fields["again"] else {
                    throw Problem.invalid("again", "The two new passwords differ; nothing was changed.")
                }
                try await env.stores.access.setPassword(user: id, hash: try await AdminController.hash(password), at: now)
                try await PageAudit(env: env).record(signedIn, "POST /account/password", kind: "user", subject: id, before: nil)
                // A new password ends every session, this one too; the person who changed it stays signed in.
                let (_, secret) = try await env.stores.access.createSession(user: id, at: now)
                return .page(
                    WebPages.redirect(
                        "/account?done=password", cookies: [WebCookies.cookie(WebCookies.session, secret, secure: env.securePages)]))
            } refused: { signedIn, failure in
                pages.page("account", AccountPage.build(for: signedIn, failure: failure), status: failure.status)
            }
        }
    }
}
