import Foundation
import Logging
import MusterPostgres
import MusterSQLite
import MusterStore
import SQLKit

/// A real database to run a test against: a fresh SQLite file, or a fresh database on the
/// PostgreSQL server the test script started (`MUSTER_TEST_POSTGRES_URL`).
public struct TestBackend: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case sqlite, postgres }
    public let kind: Kind

    public init(kind: Kind) { self.kind = kind }

    public var description: String { kind.rawValue }

    /// SQLite alone, for tests of behaviour that does not depend on the database.
    public static let sqlite = TestBackend(kind: .sqlite)

    /// SQLite always; PostgreSQL when the server URL is set, or when `MUSTER_REQUIRE_POSTGRES=1`
    /// (then a missing server fails the tests instead of skipping them).
    public static var all: [TestBackend] {
        let environment = ProcessInfo.processInfo.environment
        var backends = [TestBackend(kind: .sqlite)]
        if environment["MUSTER_TEST_POSTGRES_URL"] != nil || environment["MUSTER_REQUIRE_POSTGRES"] == "1" {
            backends.append(TestBackend(kind: .postgres))
        }
        return backends
    }

    /// A database URL or path for a new, empty database of this kind.
    public func makeDatabase() async throws -> ScratchDatabase {
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return ScratchDatabase(url: folder.appendingPathComponent("muster.db").path) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgres:
            guard let admin = ProcessInfo.processInfo.environment["MUSTER_TEST_POSTGRES_URL"] else {
                throw ScratchError("MUSTER_REQUIRE_POSTGRES=1 but MUSTER_TEST_POSTGRES_URL is not set; run scripts/test.")
            }
            let name = "muster_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            try await Self.onAdmin(admin, "CREATE DATABASE \(name)")
            guard var components = URLComponents(string: admin) else { throw ScratchError("bad MUSTER_TEST_POSTGRES_URL") }
            components.path = "/\(name)"
            return ScratchDatabase(url: components.string!) {
                try? await Self.onAdmin(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    /// Opens a migrated store on a new database, runs `body`, then closes and removes it.
    public func withStore<T>(_ body: (any Store) async throws -> T) async throws -> T {
        try await withStores(1) { stores, _ in try await body(stores[0]) }
    }

    /// Opens `count` stores on one new database (the first migrates it), as several servers
    /// would, and runs `body` with them and the database's URL or path; then closes them and
    /// removes the database, whether or not `body` threw.
    public func withStores<T>(_ count: Int, _ body: ([any Store], String) async throws -> T) async throws -> T {
        let database = try await makeDatabase()
        var stores: [any Store] = []
        let outcome: Result<T, any Error>
        do {
            for _ in 0..<count { stores.append(try await Self.open(database.url)) }
            let first = stores[0]
            try await Self.busyServerRetried { try await first.migrate() }
            outcome = .success(try await body(stores, database.url))
        } catch {
            outcome = .failure(error)
        }
        var closing: (any Error)?
        for store in stores {
            do { try await store.shutdown() } catch { closing = closing ?? error }
        }
        await database.remove()
        let result = try outcome.get()
        if let closing { throw closing }
        return result
    }

    /// Opens a store on an existing database URL or path, without migrating. With `upTo`, the
    /// store knows only the migrations up to that version (to test upgrades from it).
    public static func open(_ url: String, upTo version: Int = .max) async throws -> any Store {
        var logger = Logger(label: "muster.test")
        logger.logLevel = .warning
        if url.hasPrefix("postgres") {
            let migrations = PostgresMigrations.all.filter { $0.version <= version }
            return SQLStore(
                source: try await busyServerRetried { try await PostgresConnectionSource.open(url: url, logger: logger) },
                migrations: migrations)
        }
        let migrations = SQLiteMigrations.all.filter { $0.version <= version }
        return SQLStore(source: try await SQLiteConnectionSource.open(path: url, logger: logger), migrations: migrations)
    }

    /// Runs one SQL statement on the database at `url`, outside any store (to set up old data).
    public static func execute(_ url: String, _ statement: SQLQueryString) async throws {
        try await withConnection(url) { db in try await db.raw(statement).run() }
    }

    /// Runs one query on the database at `url`, outside any store, and decodes its rows.
    public static func rows<T: Sendable>(
        _ url: String, _ statement: SQLQueryString, _ decode: @escaping @Sendable (any SQLRow) throws -> T
    ) async throws -> [T] {
        try await withConnection(url) { db in try await db.raw(statement).all().map(decode) }
    }

    /// Opens a connection source on `url` for one body, and closes it whatever happens.
    private static func withConnection<T: Sendable>(
        _ url: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let source: any SQLConnectionSource =
            url.hasPrefix("postgres")
            ? try await PostgresConnectionSource.open(url: url)
            : try await SQLiteConnectionSource.open(path: url)
        do {
            let result = try await source.withConnection(body)
            try await source.shutdown()
            return result
        } catch {
            try? await source.shutdown()
            throw error
        }
    }

    private static func onAdmin(_ url: String, _ statement: String) async throws {
        try await busyServerRetried {
            let source = try await PostgresConnectionSource.open(url: url)
            do {
                try await source.withConnection { db in try await db.raw("\(unsafeRaw: statement)").run() }
                try await source.shutdown()
            } catch {
                try? await source.shutdown()
                throw error
            }
        }
    }

    /// Runs `work` again (up to three times in all) when it found no connection within the lease
    /// timeout. With every suite running at once on two cores, the test server sometimes takes
    /// longer than that to accept a connection; a test about its own database's outage sets that
    /// database up through here too, and meets its outage afterwards, in the test itself.
    public static func busyServerRetried<T>(_ work: () async throws -> T) async throws -> T {
        for attempt in 1... {
            do {
                return try await work()
            } catch StoreError.unavailable(let message) where attempt < 3 && message.contains("no connection within") {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        fatalError("unreachable")
    }
}

/// A database made for one test, and how to remove it.
public struct ScratchDatabase: Sendable {
    public let url: String
    let cleanup: @Sendable () async -> Void

    public func remove() async { await cleanup() }
}

public struct ScratchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
