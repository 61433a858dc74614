import Foundation
import HTTPTypes
import MusterCore
import MusterStore

/// A person signed in to the pages: a user of `role` with a session made in the store, and the
/// requests a browser would send with its cookie.
struct PageSession {
    let api: APIHarness
    let user: String
    let cookie: String
    let csrf: String

    static func signIn(_ api: APIHarness, _ user: String, role: Role) async throws -> PageSession {
        if try await api.store.user(user) == nil {
            _ = try await api.send(
                .post, "/api/v1/users", token: api.admin,
                body: #"{"id":"\#(user)","name":"\#(user.capitalized)","email":"\#(user)@example.com","role":"\#(role.rawValue)"}"#)
        }
        let (session, secret) = try await api.store.createSession(user: user, at: api.clock.now)
        return PageSession(api: api, user: user, cookie: "muster_session=\(secret)", csrf: session.csrfToken)
    }

    func get(_ path: String) async throws -> Reply {
        try await api.send(.get, path, headers: [.cookie: cookie])
    }

    /// Posts a form with the session's CSRF token, unless `csrf` says otherwise.
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> Reply {
        let all = [("csrf", csrf ?? self.csrf)] + fields
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await api.send(.post, path, body: body, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie])
    }
}
