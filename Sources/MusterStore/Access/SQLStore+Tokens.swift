import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createToken(name: String, role: TokenRole, expiresAt: Date?, at now: Date) async throws -> (APIToken, String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 80)
        if let expiresAt, expiresAt <= now {
            throw StoreError.invalid(field: "expiresAt", reason: "must lie ahead; a token that has expired already is of no use.")
        }
        let secret = TokenSecret.generate()
        let token = APIToken(
            id: UUID(), name: trimmed, role: role, prefix: String(secret.prefix(10)),
            createdAt: now, lastUsedAt: nil, revokedAt: nil, expiresAt: expiresAt)
        try await transaction { db in
            let live = try await db.raw(
                """
                SELECT id FROM api_tokens
                WHERE name = \(bind: trimmed) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: now.millis))
                """
            ).first()
            if live != nil {
                throw StoreError.conflict("A live token named '\(trimmed)' already exists; revoke it or pick another name.")
            }
            try await db.raw(
                """
                INSERT INTO api_tokens (id, name, role, prefix, secret_hash, created_at, expires_at)
                VALUES (\(bind: token.id.uuidString), \(bind: token.name), \(bind: role.rawValue), \(bind: token.prefix),
                        \(bind: TokenSecret.hash(secret)), \(bind: now.millis), \(bind: expiresAt?.millis))
                """
            ).run()
        }
        return (token, secret)
    }

    public func tokens() async throws -> [APIToken] {
        try await read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens ORDER BY created_at, name").all()
                .map(Self.decodeToken)
        }
    }

    public func revokeToken(_ idOrName: String, by caller: UUID?, at now: Date) async throws -> APIToken {
        try await transaction { db in
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens
                WHERE (id = \(bind: idOrName.uppercased()) OR name = \(bind: idOrName)) AND revoked_at IS NULL
                """
            ).all().map(Self.decodeToken)
            guard var token = rows.first else { throw StoreError.notFound(what: "live token", key: idOrName) }
            guard rows.count == 1 else {
                throw StoreError.conflict("'\(idOrName)' matches \(rows.count) tokens; revoke by id instead.")
            }
            if token.id == caller {
                throw StoreError.conflict(
                    "A token cannot revoke itself; revoke '\(token.name)' with another admin token, or with muster token revoke on the server."
                )
            }
            if token.role == .admin {
                let admins =
                    try await db.raw(
                        """
                        SELECT COUNT(*) AS n FROM api_tokens
                        WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: now.millis))
                        """
                    ).first()?.decode(column: "n", as: Int.self) ?? 0
                guard admins > 1 else {
                    throw StoreError.conflict(
                        "'\(token.name)' is the last admin token; create another admin token first, so that someone can still manage tokens."
                    )
                }
            }
            try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: now.millis) WHERE id = \(bind: token.id.uuidString)").run()
            token.revokedAt = now
            return token
        }
    }

    public func authenticate(secret: String, at now: Date) async throws -> APIToken? {
        guard secret.hasPrefix("mst_"), secret.count < 200 else { return nil }
        let hash = TokenSecret.hash(secret)
        return try await read { db in
            guard
                var token = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens
                    WHERE secret_hash = \(bind: hash) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: now.millis))
                    """
                ).first().map(Self.decodeToken)
            else { return nil }
            // Last use is kept to the minute so busy clients do not turn every read into a write.
            if token.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now.millis) WHERE id = \(bind: token.id.uuidString)").run()
                token.lastUsedAt = now
            }
            return token
        }
    }

    static let tokenColumns = "id, name, role, prefix, created_at, last_used_at, revoked_at, expires_at"

    static func decodeToken(_ row: any SQLRow) throws -> APIToken {
        let roleName = try row.decode(column: "role", as: String.self)
        guard let role = TokenRole(rawValue: roleName),
            let id = UUID(uuidString: try row.decode(column: "id", as: String.self))
        else { throw StoreError.corrupt("token with role \(roleName)") }
        return APIToken(
            id: id, name: try row.decode(column: "name", as: String.self), role: role,
            prefix: try row.decode(column: "prefix", as: String.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(millis:)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(millis:)),
            expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(millis:)))
    }
}
