import Foundation
import MusterCore
import MusterStore

/// `/admin`: people's accounts, roles and passwords, and API tokens; for admins only.
struct AdminPage: PageModel {
    struct Person: PageModel {
        var id: String
        var name: String
        var email: String
        var role: String
        var active: Bool
        var roles: [PageViews.Option]
        var timeZone: String
        /// Why the details form was just refused, and what was typed in it.
        var detailsError: String?
        var typed: [String: String]
    }
    struct Token: PageModel {
        var id: String
        var name: String
        var role: String
        var prefix: String
        var state: String
        var live: Bool
        var created: PageViews.Time
        var lastUsed: PageViews.Time?
        var expires: PageViews.Time?
    }
    /// A token just made: its secret, shown this once.
    struct Created: PageModel {
        var name: String
        var secret: String
    }

    var person: [String: String]
    var people: [Person]
    var tokens: [Token]
    var roles: [PageViews.Option]
    var created: Created?
    var notice: String?
    var banner: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, created: Created? = nil, notice: String? = nil,
        failure: FormFailure? = nil
    ) async throws -> AdminPage {
        let now = env.now()
        let roles = Role.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue) }
        return AdminPage(
            person: signedIn.view,
            people: try await env.stores.onCall.users().map { user in
                let refused = failure.flatMap { $0.form == "details-\(user.id)" ? $0 : nil }
                return Person(
                    id: user.id, name: user.name, email: user.email, role: user.role.rawValue, active: user.isActive,
                    roles: Role.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == user.role) },
                    timeZone: user.timeZone, detailsError: refused?.detail,
                    typed: refused?.values ?? ["name": user.name, "email": user.email, "timeZone": user.timeZone])
            },
            tokens: try await env.stores.access.tokens().map { token in
                let expired = token.expiresAt.map { $0 <= now } ?? false
                return Token(
                    id: token.id.uuidString, name: token.name, role: token.role.rawValue, prefix: token.prefix,
                    state: token.revokedAt != nil ? "revoked" : expired ? "expired" : "live", live: token.revokedAt == nil && !expired,
                    created: .init(token.createdAt), lastUsed: token.lastUsedAt.map(PageViews.Time.init),
                    expires: token.expiresAt.map(PageViews.Time.init))
            },
            roles: roles, created: created, notice: notice, banner: failure.flatMap { $0.form.hasPrefix("details-") ? nil : $0.banner }, errors: failure?.errors ?? [:],
            values: failure.map { [$0.form: $0.values] } ?? [:])
    }
}
