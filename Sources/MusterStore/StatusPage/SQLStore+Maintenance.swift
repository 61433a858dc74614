import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createMaintenance(_ maintenance: Maintenance) async throws -> Maintenance {
        try await transaction { db in
            try await Self.requireComponents(maintenance.components, on: db)
            try await db.raw(
                """
                INSERT INTO maintenances (id, state, starts_at, ends_at, next_move_at, created_at, updated_at, document)
                VALUES (\(bind: maintenance.id.uuidString), \(bind: maintenance.state.rawValue), \(bind: maintenance.startsAt.millis),
                    \(bind: maintenance.endsAt.millis), \(bind: maintenance.nextMoveAt?.millis), \(bind: maintenance.createdAt.millis),
                    \(bind: maintenance.updatedAt.millis), \(bind: try DocumentCoding.encode(maintenance)))
                """
            ).run()
            try await Self.statusPageChanged(on: db)
            return maintenance
        }
    }

    public func maintenance(_ id: UUID) async throws -> Maintenance? {
        try await read { db in try await Self.loadMaintenance(id, lock: "", on: db) }
    }

    public func maintenances(endedSince: Date) async throws -> [Maintenance] {
        try await read { db in
            try await db.raw(
                """
                SELECT document FROM maintenances WHERE state <> 'completed' OR ends_at >= \(bind: endedSince.millis)
                ORDER BY starts_at, id
                """
            ).all().map(Self.decodeMaintenance)
        }
    }

    public func updateMaintenance(_ id: UUID, _ change: @escaping @Sendable (inout Maintenance) throws -> Void) async throws -> Maintenance
    {
        try await transaction { db in
            guard var maintenance = try await Self.loadMaintenance(id, lock: self.dialect.lockRowSuffix, on: db) else {
                throw StoreError.notFound(what: "maintenance", key: id.uuidString)
            }
            try change(&maintenance)
            try await Self.requireComponents(maintenance.components, on: db)
            try await Self.saveMaintenance(maintenance, on: db)
            return maintenance
        }
    }

    public func deleteMaintenance(_ id: UUID) async throws {
        try await transaction { db in
            guard try await Self.loadMaintenance(id, lock: self.dialect.lockRowSuffix, on: db) != nil else {
                throw StoreError.notFound(what: "maintenance", key: id.uuidString)
            }
            try await db.raw("DELETE FROM maintenances WHERE id = \(bind: id.uuidString)").run()
            try await Self.statusPageChanged(on: db)
        }
    }

    public func advanceMaintenances(at now: Date) async throws -> [(Maintenance, [MaintenanceUpdate])] {
        // Asked every round by every server: a write transaction only when something is due.
        let due = try await read { db in
            try await db.raw("SELECT id FROM maintenances WHERE next_move_at <= \(bind: now.millis) LIMIT 1").first() != nil
        }
        guard due else { return [] }
        return try await transaction { db in
            let due = try await db.raw(
                """
                SELECT document FROM maintenances WHERE next_move_at <= \(bind: now.millis)
                ORDER BY next_move_at LIMIT 100\(unsafeRaw: self.dialect.claimSuffix)
                """
            ).all().map(Self.decodeMaintenance)
            var moved: [(Maintenance, [MaintenanceUpdate])] = []
            for var maintenance in due {
                let posted = maintenance.advance(at: now)
                try await Self.saveMaintenance(maintenance, on: db)
                if !posted.isEmpty { moved.append((maintenance, posted)) }
            }
            return moved
        }
    }

    /// Maintenance not yet completed, inside the caller's transaction.
    static func openMaintenances(on db: any SQLDatabase) async throws -> [Maintenance] {
        try await db.raw("SELECT document FROM maintenances WHERE state <> 'completed'").all().map(decodeMaintenance)
    }

    static func loadMaintenance(_ id: UUID, lock: String, on db: any SQLDatabase) async throws -> Maintenance? {
        try await db.raw("SELECT document FROM maintenances WHERE id = \(bind: id.uuidString)\(unsafeRaw: lock)").first().map(
            decodeMaintenance)
    }

    static func saveMaintenance(_ maintenance: Maintenance, on db: any SQLDatabase) async throws {
        try await statusPageChanged(on: db)
        try await db.raw(
            """
            UPDATE maintenances SET state = \(bind: maintenance.state.rawValue), starts_at = \(bind: maintenance.startsAt.millis),
                ends_at = \(bind: maintenance.endsAt.millis), next_move_at = \(bind: maintenance.nextMoveAt?.millis),
                updated_at = \(bind: maintenance.updatedAt.millis), document = \(bind: try DocumentCoding.encode(maintenance))
            WHERE id = \(bind: maintenance.id.uuidString)
            """
        ).run()
    }

    static func decodeMaintenance(_ row: any SQLRow) throws -> Maintenance {
        try DocumentCoding.decode(Maintenance.self, from: row.decode(column: "document", as: String.self))
    }

    /// Every id must be a status page component.
    static func requireComponents(_ ids: [String], on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let known = Set(
            try await db.raw("SELECT id FROM status_components WHERE id IN (\(binds: ids))").all().map {
                try $0.decode(column: "id", as: String.self)
            })
        if let missing = ids.first(where: { !known.contains($0) }) {
            throw StoreError.invalid(field: "components", reason: "names '\(missing)', which is not a status page component.")
        }
    }
}
