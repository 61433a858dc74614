import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// Who is signed in to the pages, from the session cookie.
struct WebAuth {
    let env: APIEnvironment

    struct SignedIn {
        var user: User
        var session: WebSession
        var secret: String

        /// What the layout shows of the person, with the token its forms carry.
        var view: [String: String] {
            var fields = ["name": user.name, "role": user.role.rawValue, "csrf": session.csrfToken]
            if user.role == .admin { fields["admin"] = "yes" }
            return fields
        }
    }

    /// The person whose live session the request's cookie opens, if any.
    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let secret = WebCookies.value(WebCookies.session, in: request),
            let session = try await env.stores.access.session(secret: secret, idleLimit: WebCookies.idleLimit, at: env.now()),
            let user = try await env.stores.onCall.user(session.user), user.isActive
        else { return nil }
        return SignedIn(user: user, session: session, secret: secret)
    }
}

/// Form bodies of the pages.
enum WebForms {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1_024)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
        } catch {
            throw Problem.invalid(nil, "The form is not complete; reload the page and send it again.")
        }
    }
}

extension WebAuth {
    /// The way to the sign-in form, coming back to the page asked for.
    static func signInFirst(_ request: Request) -> Response {
        signInFirst(next: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
    }

    /// The way to the sign-in form, coming back to `next`, a path on this server.
    static func signInFirst(next: String) -> Response {
        let path = SignInController.localPath(next)
        return WebPages.redirect(
            "/signin?next="
                + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", ".", "_", "~"])) ?? "/incidents"))
    }

    /// Fails unless the form carries the session's CSRF token and the person's role is at least `role`.
    static func require(_ signedIn: SignedIn, csrf: String, role: Role = .responder) throws {
        guard csrf == signedIn.session.csrfToken else {
            throw Problem(
                status: .forbidden, slug: "csrf", title: "Form expired",
                detail: "The form had expired; it was not sent. Reload the page and try again.")
        }
        let mine = signedIn.user.role
        switch role {
        case .viewer: return
        case .responder where mine.canWrite: return
        case .admin where mine == .admin: return
        default:
            throw Problem(
                status: .forbidden, slug: "forbidden", title: "Not allowed",
                detail: role == .admin
                    ? "Only an admin may do that; you have the \(mine.rawValue) role."
                    : "You have the viewer role, which may only read; ask an admin for the responder role.")
        }
    }
}
