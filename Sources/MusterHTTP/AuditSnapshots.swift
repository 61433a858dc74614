import Foundation
import MusterCore
import MusterStore

/// Each kind of configuration object as the audit log keeps it: as the API shows it to an admin,
/// but with webhook and Slack URLs masked, so the log holds no credential.
struct AuditSnapshots {
    let stores: Stores
    let now: Date

    /// The object now, or nil when there is none.
    func snapshot(_ kind: String, _ id: String) async throws -> JSONTree? {
        switch kind {
        case "service": return try tree(try await stores.services.service(id))
        case "integration": return try tree(try await UUID(uuidString: id).asyncFlatMap { try await stores.alerts.integration(id: $0) })
        case "user": return try tree(try await stores.onCall.user(id)?.masked)
        case "team": return try tree(try await stores.onCall.team(id))
        case "schedule": return try tree(try await stores.onCall.schedule(id))
        case "escalation-policy": return try tree(try await stores.onCall.escalationPolicy(id))
        case "stakeholder-group": return try tree(try await stores.communication.stakeholderGroup(id)?.masked)
        case "status-component": return try tree(try await stores.statusPage.statusComponent(id))
        case "status-group": return try tree(try await stores.statusPage.statusGroups().first { $0.id == id })
        case "status-subscriber":
            return try tree(try await UUID(uuidString: id).asyncFlatMap { try await stores.statusPage.subscriber($0) }?.masked)
        case "status-page": return try tree(try await stores.statusPage.statusPageSettings())
        case "maintenance": return try tree(try await UUID(uuidString: id).asyncFlatMap { try await stores.statusPage.maintenance($0) })
        case "silence":
            guard let uuid = UUID(uuidString: id) else { return nil }
            return try tree(try await stores.alerts.silences(includeExpired: true, at: now).first { $0.id == uuid })
        case "token": return try tree(try await token(id))
        default: return nil
        }
    }

    /// The id the log files an object under: a token by its id, even when the route named it.
    func canonical(_ kind: String, _ id: String, in snapshot: JSONTree?) -> String {
        guard kind == "token", let tokenID = snapshot?["id"]?.string else { return id }
        return tokenID
    }

    private func token(_ idOrName: String) async throws -> APIToken? {
        let tokens = try await stores.access.tokens()
        return tokens.first { $0.id.uuidString == idOrName.uppercased() }
            ?? tokens.last { $0.name == idOrName && $0.revokedAt == nil } ?? tokens.last { $0.name == idOrName }
    }

    private func tree(_ value: (some Encodable)?) throws -> JSONTree? {
        guard let value else { return nil }
        return JSONTree.parse(try APICoding.encoder.encode(value))
    }
}

extension Optional {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
