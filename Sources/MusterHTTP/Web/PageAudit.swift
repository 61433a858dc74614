import Foundation
import MusterCore
import MusterStore

/// Configuration changes made through the pages, written to the audit log as the API's are,
/// with the signed-in person as the actor.
struct PageAudit {
    let env: APIEnvironment

    /// The object as the audit log keeps it, to pass as `before`.
    func snapshot(_ kind: String, _ id: String) async throws -> JSONTree? {
        try await AuditSnapshots(stores: env.stores, now: env.now()).snapshot(kind, id)
    }

    func record(_ signedIn: WebAuth.SignedIn, _ action: String, kind: String, subject: String, before: JSONTree?) async throws {
        let after = try await snapshot(kind, subject)
        try await env.stores.audit.recordAudit(
            AuditEvent(at: env.now(), actor: signedIn.user.id, action: action, kind: kind, subject: subject, before: before, after: after))
    }
}
