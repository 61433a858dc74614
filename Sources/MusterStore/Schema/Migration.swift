import Foundation
import SQLKit

/// One numbered schema change; the statements run in order, in the migration transaction.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: [String]
    /// Fills new columns from what older rows hold, after the statements, in the same
    /// transaction: written in Swift where the two databases' SQL would differ.
    public var backfill: (@Sendable (any SQLDatabase) async throws -> Void)?

    public init(version: Int, name: String, statements: [String], backfill: (@Sendable (any SQLDatabase) async throws -> Void)? = nil) {
        self.version = version
        self.name = name
        self.statements = statements
        self.backfill = backfill
    }
}

/// Applies numbered migrations once each, recording them in `schema_migrations`.
struct Migrator {
    let migrations: [Migration]
    let dialect: StoreDialect

    func applied(on db: any SQLDatabase) async throws -> [Int] {
        try await db.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        ).run()
        return try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all()
            .map { try $0.decode(column: "version", as: Int.self) }
    }

    /// Runs inside a transaction the caller opened.
    func migrate(on db: any SQLDatabase, at now: Date) async throws -> [Int] {
        if let lock = dialect.migrationLock { try await db.raw(SQLQueryString(lock)).run() }
        let done = Set(try await applied(on: db))
        // A newer Muster has changed the schema in ways this one does not know: writing through
        // it could lose what the newer one keeps, so this one stops.
        let known = migrations.map(\.version).max() ?? 0
        if let newest = done.max(), newest > known {
            throw StoreError.schemaTooNew(database: newest, binary: known)
        }
        var newlyApplied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !done.contains(migration.version) {
            for statement in migration.statements {
                try await db.raw(SQLQueryString(statement)).run()
            }
            try await migration.backfill?(db)
            try await db.raw(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now.millis))"
            ).run()
            newlyApplied.append(migration.version)
        }
        return newlyApplied
    }
}

extension Date {
    /// Milliseconds since 1970, the form every timestamp column uses.
    public var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The date for a timestamp column value.
    public init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
