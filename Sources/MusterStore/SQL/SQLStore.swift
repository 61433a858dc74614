import Foundation
import Logging
import MusterCore
import MusterMetrics
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
    let metrics: MusterMetrics

    public init(
        source: any SQLConnectionSource, migrations: [Migration], logger: Logger = Logger(label: "muster.store"),
        metrics: MusterMetrics = .none
    ) {
        self.source = source
        self.migrations = migrations
        self.logger = logger
        self.metrics = metrics
    }

    public var dialect: StoreDialect { source.dialect }

    public func startWriter(_ work: @escaping @Sendable () async -> Void) {
        Task(executorPreference: source.writerExecutor) { await work() }
    }

    /// What the operator should know about the database's own settings (see `SQLConnectionSource`).
    public func settingsAdvice() async -> [String] { await source.settingsAdvice() }

    /// Runs `body` in one transaction, with a tally of what it did that is recorded in the
    /// metrics once the transaction has committed.
    func transaction<T: Sendable>(
        reusingStatements: Bool = false, tallying body: @Sendable @escaping (any SQLDatabase, MetricsTally) async throws -> T
    ) async throws -> T {
        let tally = MetricsTally()
        let result = try await transaction(reusingStatements: reusingStatements) { db in try await body(db, tally) }
        tally.report(to: metrics)
        return result
    }

    /// Runs `body` in one transaction on one connection; rolls back when it throws.
    /// `reusingStatements` is for hot paths, and only migrations run without the time limit
    /// (see `SQLConnectionSource`).
    func transaction<T: Sendable>(
        reusingStatements: Bool = false, bounded: Bool = true, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let asked = ContinuousClock.now
        let metrics = metrics
        return try await measured {
            try await source.transaction(reusingStatements: reusingStatements, bounded: bounded) { db in
                metrics.databaseWait(work: "transaction", seconds: Self.seconds(since: asked))
                return try await body(db)
            }
        }
    }

    /// Runs `work`, counting the failures that are the database's fault.
    private func measured<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as StoreError {
            switch error {
            case .unavailable, .contention, .corrupt: metrics.databaseError(error.kind)
            case .notFound, .conflict, .invalid, .rejected, .schemaTooNew: break
            }
            throw error
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        start.duration(to: .now).inSeconds
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
        let asked = ContinuousClock.now
        let metrics = metrics
        return try await measured {
            try await source.withConnection { db in
                metrics.databaseWait(work: "read", seconds: Self.seconds(since: asked))
                return try await body(db)
            }
        }
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

    public func backup(to path: String) async throws {
        guard dialect.name == StoreDialect.sqlite.name else {
            throw StoreError.invalid(
                field: "database",
                reason: "is PostgreSQL, which Muster does not copy itself: back it up with pg_dump or your provider's snapshots.")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.conflict("'\(path)' exists already; a backup is written to a new file, never over one.")
        }
        // VACUUM INTO reads one snapshot of the database, whatever other connections write
        // meanwhile, and writes it compacted to the new file.
        try await read { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
    }

    public func shutdown() async throws {
        try await source.shutdown()
    }
}
