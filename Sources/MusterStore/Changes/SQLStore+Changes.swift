import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func recordChange(_ change: ChangeEvent) async throws -> ChangeEvent {
        try await transaction { db in
            try await Self.requireServices([change.service], field: "service", on: db)
            try await db.raw(
                """
                INSERT INTO change_events (id, service, at, received_at, document)
                VALUES (\(bind: change.id.uuidString), \(bind: change.service), \(bind: change.at.millis),
                    \(bind: change.receivedAt.millis), \(bind: try DocumentCoding.encode(change)))
                """
            ).run()
            return change
        }
    }

    public func change(_ id: UUID) async throws -> ChangeEvent? {
        try await read { db in
            try await db.raw("SELECT document FROM change_events WHERE id = \(bind: id.uuidString)").first().map(Self.decodeChange)
        }
    }

    public func changes(_ query: ChangeQuery) async throws -> (items: [ChangeEvent], total: Int) {
        try await read { db in
            var conditions: [SQLQueryString] = []
            if let services = query.services {
                guard !services.isEmpty else { return ([], 0) }
                conditions.append("service IN (\(binds: services))")
            }
            if let from = query.from { conditions.append("at >= \(bind: from.millis)") }
            if let to = query.to { conditions.append("at <= \(bind: to.millis)") }
            let filter: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
            let total = try await db.raw("SELECT COUNT(*) AS n FROM change_events \(filter)").first()?.decode(column: "n", as: Int.self) ?? 0
            let items = try await db.raw(
                """
                SELECT document FROM change_events \(filter) ORDER BY at DESC, id
                LIMIT \(unsafeRaw: String(query.limit)) OFFSET \(unsafeRaw: String(query.offset))
                """
            ).all().map(Self.decodeChange)
            return (items, total)
        }
    }

    static func decodeChange(_ row: any SQLRow) throws -> ChangeEvent {
        try DocumentCoding.decode(ChangeEvent.self, from: row.decode(column: "document", as: String.self))
    }
}
