import Foundation
import Logging
import MusterCore
import SQLKit

/// The one `Store` implementation, over SQLKit; SQLite and PostgreSQL differ only in their
/// connection source, dialect and migrations.
public final class SQLStore: Store {
    let source: any SQLConnectionSource
    let migrations: [Migration]
    /// Services' alert policies as ingestion last read them.
    let alertPolicies = AlertPolicyMemo()

    /// Where the store says what a person should know that no request answers: incidents that
    /// paged nobody.
    let logger: Logger

    public init(source: any SQLConnectionSource, migrations: [Migration], logger: Logger = Logger(label: "muster.store")) {
        self.source = source
        self.migrations = migrations
        self.logger = logger
    }

    public var dialect: StoreDialect { source.dialect }

    public func startWriter(_ work: @escaping @Sendable () async -> Void) {
        Task(executorPreference: source.writerExecutor) { await work() }
    }

    /// What the operator should know about the database's own settings (see `SQLConnectionSource`).
    public func settingsAdvice() async -> [String] { await source.settingsAdvice() }

    /// Runs `body` in one transaction on one connection; rolls back when it throws.
    /// `reusingStatements` is for hot paths, and only migrations run without the time limit
    /// (see `SQLConnectionSource`).
    func transaction<T: Sendable>(
        reusingStatements: Bool = false, bounded: Bool = true, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await source.transaction(reusingStatements: reusingStatements, bounded: bounded, body)
    }

    /// Runs `body`, which queues the transaction's writes, then sends them: as one statement where
    /// the dialect gains by it. Nothing queued is left unsent.
    func writing<T>(on db: any SQLDatabase, _ body: (WriteBatch) async throws -> T) async throws -> T {
        let writes = WriteBatch(for: dialect)
        let result = try await body(writes)
        try await writes.run(on: db)
        return result
    }

    /// Runs a read on one connection without an explicit transaction.
    func read<T: Sendable>(_ body: @Sendable @escaping (any SQLDatabase) async throws -> T) async throws -> T {
        try await source.withConnection(body)
    }

    @discardableResult
    public func migrate() async throws -> [Int] {
        let migrator = Migrator(migrations: migrations, dialect: dialect)
        return try await transaction(bounded: false) { db in try await migrator.migrate(on: db, at: Date()) }
    }

    public func appliedMigrations() async throws -> [Int] {
        let migrator = Migrator(migrations: migrations, dialect: dialect)
        return try await read { db in try await migrator.applied(on: db) }
    }

    public func ping() async throws {
        try await read { db in _ = try await db.raw("SELECT 1 AS one").all() }
    }

    public func shutdown() async throws {
        try await source.shutdown()
    }
}
