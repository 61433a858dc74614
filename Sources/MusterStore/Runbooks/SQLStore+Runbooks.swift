import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func saveRunbook(_ runbook: Runbook) async throws -> Runbook {
        try await transaction { db in
            try await Self.requireServices(runbook.services, field: "services", on: db)
            try await db.raw(
                """
                INSERT INTO runbooks (id, updated_at, document) VALUES (\(bind: runbook.id), \(bind: runbook.updatedAt.millis),
                    \(bind: try DocumentCoding.encode(runbook)))
                ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, document = excluded.document
                """
            ).run()
            return runbook
        }
    }

    public func runbook(_ id: String) async throws -> Runbook? {
        try await read { db in try await db.raw("SELECT document FROM runbooks WHERE id = \(bind: id)").first().map(Self.decodeRunbook) }
    }

    public func runbooks() async throws -> [Runbook] {
        try await read { db in try await db.raw("SELECT document FROM runbooks ORDER BY id").all().map(Self.decodeRunbook) }
    }

    public func deleteRunbook(_ id: String) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT id FROM runbooks WHERE id = \(bind: id)").first() != nil else {
                throw StoreError.notFound(what: "runbook", key: id)
            }
            try await db.raw("DELETE FROM runbooks WHERE id = \(bind: id)").run()
        }
    }

    static func decodeRunbook(_ row: any SQLRow) throws -> Runbook {
        try DocumentCoding.decode(Runbook.self, from: row.decode(column: "document", as: String.self))
    }
}
