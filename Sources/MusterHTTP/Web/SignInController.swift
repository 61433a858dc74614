import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// `/signin` and `/signout`: people sign in to the pages with their user id and password.
struct SignInController {
    let env: APIEnvironment
    let pages: WebPages

    struct SignInForm: Decodable {
        var csrf: String
        var next: String?
        var username: String
        var password: String
    }

    struct SignOutForm: Decodable {
        var csrf: String
    }

    /// What the sign-in template shows.
    struct SignInView: PageModel {
        var csrf: String
        var next: String
        var username = ""
        var error: String?
        var notice: String?
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("signin") { request, _ -> Response in
            if try await WebAuth(env: env).signedIn(request) != nil { return WebPages.redirect("/incidents") }
            let notice = request.uri.queryParameters.get("out") == "1" ? "You are signed out." : nil
            return signInPage(next: request.uri.queryParameters.get("next") ?? "/incidents", notice: notice)
        }
        router.post("signin") { request, context -> Response in
            let form = try await WebForms.decode(SignInForm.self, from: request)
            let next = Self.localPath(form.next)
            guard let expected = WebCookies.value(WebCookies.signinCSRF, in: request), expected == form.csrf else {
                return signInPage(next: next, username: form.username, error: "The form had expired; sign in again.", status: .forbidden)
            }
            let now = env.now()
            let address = context.remoteAddress?.ipAddress ?? "unknown"
            let limits = [(env.signInFailuresByAccount, form.username.lowercased()), (env.signInFailuresByAddress, address)]
            if let wait = limits.compactMap({ limiter, key in limiter.wait(for: key, at: now) }).max() {
                let minutes = max(1, Int((wait / 60).rounded(.up)))
                return signInPage(
                    next: next, username: form.username, error: "Too many failed sign-ins; try again in \(minutes) min.",
                    status: .tooManyRequests)
            }
            guard let user = try await env.stores.onCall.user(form.username), user.isActive,
                let hash = try await env.stores.access.passwordHash(user: user.id), Passwords.verify(form.password, hash: hash)
            else {
                for (limiter, key) in limits { _ = limiter.take(1, for: key, at: now) }
                // One message whatever was wrong, so the form tells nothing of who has an account.
                return signInPage(
                    next: next, username: form.username, error: "The username or the password is wrong.", status: .unauthorized)
            }
            let (_, secret) = try await env.stores.access.createSession(user: user.id, at: now)
            return WebPages.redirect(
                next,
                cookies: [
                    WebCookies.cookie(WebCookies.session, secret, secure: env.securePages),
                    WebCookies.cookie(WebCookies.signinCSRF, "", secure: env.securePages, maxAge: 0),
                ])
        }
        router.post("signout") { request, _ -> Response in
            let form = try await WebForms.decode(SignOutForm.self, from: request)
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebPages.redirect("/signin") }
            guard signedIn.session.csrfToken == form.csrf else {
                return pages.page("signin", SignInView(csrf: "", next: "/incidents", error: "The form had expired."), status: .forbidden)
            }
            try await env.stores.access.deleteSession(secret: signedIn.secret)
            return WebPages.redirect(
                "/signin?out=1", cookies: [WebCookies.cookie(WebCookies.session, "", secure: env.securePages, maxAge: 0)])
        }
    }

    /// The sign-in form, with a new CSRF token of its own in a cookie and in the form.
    private func signInPage(
        next: String, username: String = "", error: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let csrf = TokenSecret.generate(prefix: "")
        var response = pages.page(
            "signin", SignInView(csrf: csrf, next: Self.localPath(next), username: username, error: error, notice: notice), status: status)
        response.headers.append(HTTPField(name: .setCookie, value: WebCookies.cookie(WebCookies.signinCSRF, csrf, secure: env.securePages)))
        return response
    }

    /// Where to go after signing in: a path on this server, never another site.
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/incidents" }
        return next
    }
}
