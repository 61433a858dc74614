import Foundation
import MusterCore
import MusterStore

/// Who may hold an incident role: a Muster user who is active, or, when the request says so, an
/// outside person named in free text (a vendor's engineer, a customer's contact).
struct RoleHolders {
    let env: APIEnvironment

    func require(_ assignee: String, outside: Bool, field: String = "assignee") async throws {
        let name = assignee.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !outside, !name.isEmpty else { return }
        guard let user = try await env.stores.onCall.user(name) else {
            throw Problem.invalid(
                field, "'\(name.prefix(80))' is not a Muster user; give the role to a user, or say it goes to an outside person (outside: true).")
        }
        guard user.isActive else { throw Problem.invalid(field, "'\(name.prefix(80))' has been deactivated.") }
    }
}
