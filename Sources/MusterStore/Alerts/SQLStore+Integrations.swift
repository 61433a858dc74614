import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createIntegration(service: String, kind: IntegrationKind, name: String, at now: Date) async throws -> (Integration, String)
    {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 120)
        let key = IntegrationKey.generate()
        let integration = Integration(
            id: UUID(), service: service, kind: kind, name: trimmed, keyPrefix: String(key.prefix(6)),
            createdAt: now, rotatedAt: nil, revokedAt: nil)
        try await transaction { db in
            guard try await db.raw("SELECT id FROM services WHERE id = \(bind: service)").first() != nil else {
                throw StoreError.notFound(what: "service", key: service)
            }
            try await db.raw(
                """
                INSERT INTO integrations (id, service, kind, name, key_hash, key_prefix, created_at)
                VALUES (\(bind: integration.id.uuidString), \(bind: service), \(bind: kind.rawValue), \(bind: trimmed),
                        \(bind: TokenSecret.hash(key)), \(bind: integration.keyPrefix), \(bind: now.millis))
                """
            ).run()
        }
        return (integration, key)
    }

    public func integrations(service: String?) async throws -> [Integration] {
        try await read { db in
            let filter: SQLQueryString = service.map { "WHERE service = \(bind: $0)" } ?? ""
            return try await db.raw("SELECT \(unsafeRaw: Self.integrationColumns) FROM integrations \(filter) ORDER BY service, created_at")
                .all().map(Self.decodeIntegration)
        }
    }

    public func rotateIntegration(_ id: UUID, at now: Date) async throws -> (Integration, String) {
        let key = IntegrationKey.generate()
        let integration = try await transaction { db in
            var integration = try await Self.liveIntegration(id, on: db)
            integration.keyPrefix = String(key.prefix(6))
            integration.rotatedAt = now
            try await db.raw(
                """
                UPDATE integrations SET key_hash = \(bind: TokenSecret.hash(key)), key_prefix = \(bind: integration.keyPrefix),
                    rotated_at = \(bind: now.millis) WHERE id = \(bind: id.uuidString)
                """
            ).run()
            return integration
        }
        return (integration, key)
    }

    public func revokeIntegration(_ id: UUID, at now: Date) async throws -> Integration {
        try await transaction { db in
            var integration = try await Self.liveIntegration(id, on: db)
            integration.revokedAt = now
            try await db.raw("UPDATE integrations SET revoked_at = \(bind: now.millis) WHERE id = \(bind: id.uuidString)").run()
            return integration
        }
    }

    public func integration(id: UUID) async throws -> Integration? {
        try await read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.integrationColumns) FROM integrations WHERE id = \(bind: id.uuidString)")
                .first().map(Self.decodeIntegration)
        }
    }

    public func renameIntegration(_ id: UUID, to name: String) async throws -> Integration {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 120)
        return try await transaction { db in
            guard
                var integration = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.integrationColumns) FROM integrations WHERE id = \(bind: id.uuidString)
                    """
                ).first().map(Self.decodeIntegration)
            else {
                throw StoreError.notFound(what: "integration", key: id.uuidString)
            }
            integration.name = trimmed
            try await db.raw("UPDATE integrations SET name = \(bind: trimmed) WHERE id = \(bind: id.uuidString)").run()
            return integration
        }
    }

    public func integration(forKey key: String) async throws -> Integration? {
        guard IntegrationKey.isPlausible(key) else { return nil }
        let hash = TokenSecret.hash(key)
        return try await read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.integrationColumns) FROM integrations WHERE key_hash = \(bind: hash) AND revoked_at IS NULL
                """
            ).first().map(Self.decodeIntegration)
        }
    }

    static func liveIntegration(_ id: UUID, on db: any SQLDatabase) async throws -> Integration {
        guard
            let integration = try await db.raw(
                """
                SELECT \(unsafeRaw: integrationColumns) FROM integrations WHERE id = \(bind: id.uuidString) AND revoked_at IS NULL
                """
            ).first().map(decodeIntegration)
        else {
            throw StoreError.notFound(what: "live integration", key: id.uuidString)
        }
        return integration
    }

    static let integrationColumns = "id, service, kind, name, key_prefix, created_at, rotated_at, revoked_at"

    static func decodeIntegration(_ row: any SQLRow) throws -> Integration {
        let kindName = try row.decode(column: "kind", as: String.self)
        guard let kind = IntegrationKind(rawValue: kindName),
            let id = UUID(uuidString: try row.decode(column: "id", as: String.self))
        else { throw StoreError.corrupt("integration of kind \(kindName)") }
        return Integration(
            id: id, service: try row.decode(column: "service", as: String.self), kind: kind,
            name: try row.decode(column: "name", as: String.self), keyPrefix: try row.decode(column: "key_prefix", as: String.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            rotatedAt: try row.decode(column: "rotated_at", as: Int64?.self).map(Date.init(millis:)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(millis:)))
    }
}
