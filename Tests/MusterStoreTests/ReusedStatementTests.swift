import Foundation
import Logging
import MusterStore
import MusterTestSupport
import PostgresKit
import Testing

@testable import MusterPostgres

/// Hot statements on PostgreSQL run as named prepared statements (`ReusingPostgresDatabase`):
/// the same answers as the ordinary way, prepared once per connection, and never stuck on a
/// preparation that failed.
@Suite("Prepared hot statements on PostgreSQL", .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
struct ReusedStatementTests {
    static let postgres = TestBackend(kind: .postgres)

    /// A direct connection to a new database, as `ReusingPostgresDatabase` with its own names.
    func withReusingDatabase(
        names: StatementNames, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        let database = try await Self.postgres.makeDatabase()
        var logger = Logger(label: "muster.test")
        logger.logLevel = .warning
        let connection = try await PostgresConnection.connect(
            configuration: PostgresURL(parsing: database.url).connectionConfiguration, id: 1, logger: logger)
        do {
            try await body(ReusingPostgresDatabase(connection: connection, plain: connection.sql(), names: names))
            try await connection.close()
            await database.remove()
        } catch {
            try? await connection.close()
            await database.remove()
            throw error
        }
    }

    func preparedNames(_ db: any SQLDatabase) async throws -> [String] {
        try await db.raw("SELECT name FROM pg_prepared_statements ORDER BY name").all().map {
            try $0.decode(column: "name", as: String.self)
        }
    }

    @Test("every bind type goes in and comes out as it does unprepared, from the second run on from a prepared statement")
    func bindTypes() async throws {
        let names = StatementNames(limit: 16)
        try await withReusingDatabase(names: names) { db in
            // given
            try await db.raw(
                """
                CREATE TABLE probe (pos BIGINT NOT NULL, t TEXT, i BIGINT, b BOOLEAN, d DOUBLE PRECISION,
                    ta TEXT[], ia BIGINT[], ba BOOLEAN[])
                """
            ).run()
            let absent: String? = nil
            let present: Int64? = 7
            // when
            for pos in 1...3 {
                try await db.raw(
                    """
                    INSERT INTO probe (pos, t, i, b, d, ta, ia, ba) VALUES (\(bind: pos), \(bind: "ünï 'q' \u{1f6a8}"), \(bind: present),
                        \(bind: true), \(bind: 2.5), \(bind: ["a", "", "c,d"]), \(bind: [Int64.min, 0, Int64.max]), \(bind: [false, true]))
                    """
                ).run()
            }
            try await db.raw("INSERT INTO probe (pos, t, i) VALUES (\(bind: 4), \(bind: absent), \(bind: Int64?.none))").run()
            let rows = try await db.raw("SELECT * FROM probe WHERE pos >= \(bind: 1) ORDER BY pos").all()
            // then
            #expect(rows.count == 4)
            for row in rows.prefix(3) {
                #expect(try row.decode(column: "t", as: String.self) == "ünï 'q' \u{1f6a8}")
                #expect(try row.decode(column: "i", as: Int64.self) == 7)
                #expect(try row.decode(column: "b", as: Bool.self) == true)
                #expect(try row.decode(column: "d", as: Double.self) == 2.5)
                #expect(try row.decode(column: "ta", as: [String].self) == ["a", "", "c,d"])
                #expect(try row.decode(column: "ia", as: [Int64].self) == [Int64.min, 0, Int64.max])
                #expect(try row.decode(column: "ba", as: [Bool].self) == [false, true])
            }
            #expect(try rows[3].decode(column: "t", as: String?.self) == nil)
            #expect(try rows[3].decode(column: "i", as: Int64?.self) == nil)
            // Three statements with binds, each prepared once on this connection; the DDL ran unprepared.
            #expect(names.issued == 3)
            #expect(try await preparedNames(db).count == 3)
        }
    }

    @Test("a statement whose preparation failed runs again once what it needs exists")
    func failedPreparationIsRetried() async throws {
        let names = StatementNames(limit: 16)
        try await withReusingDatabase(names: names) { db in
            // given: the table the statement reads does not exist yet, so preparing it fails
            await #expect(throws: (any Error).self) {
                try await db.raw("SELECT v FROM later WHERE v = \(bind: "x")").all()
            }
            // when
            try await db.raw("CREATE TABLE later (v TEXT)").run()
            try await db.raw("INSERT INTO later (v) VALUES ('x')").run()
            let rows = try await db.raw("SELECT v FROM later WHERE v = \(bind: "x")").all()
            // then: PostgresNIO remembers a failed preparation by name; the text got a new one
            #expect(rows.count == 1)
            #expect(names.issued == 2)
        }
    }

    @Test("a statement that broke a constraint keeps its name; it was prepared and ran")
    func constraintKeepsName() async throws {
        let names = StatementNames(limit: 16)
        try await withReusingDatabase(names: names) { db in
            // given
            try await db.raw("CREATE TABLE once (v TEXT PRIMARY KEY)").run()
            try await db.raw("INSERT INTO once (v) VALUES (\(bind: "a"))").run()
            // when
            await #expect(throws: (any Error).self) {
                try await db.raw("INSERT INTO once (v) VALUES (\(bind: "a"))").run()
            }
            try await db.raw("INSERT INTO once (v) VALUES (\(bind: "b"))").run()
            // then
            #expect(names.issued == 1)
            #expect(try await db.raw("SELECT count(*) AS n FROM once").all()[0].decode(column: "n", as: Int.self) == 2)
        }
    }

    @Test("past its limit of names, and for binds of other types, a statement runs unprepared")
    func fallsBackUnprepared() async throws {
        let names = StatementNames(limit: 1)
        try await withReusingDatabase(names: names) { db in
            // given
            let first = try await db.raw("SELECT \(bind: "a")::text AS v").all()
            // when
            let second = try await db.raw("SELECT \(bind: "b")::text || 'c' AS v").all()
            let date = Date(timeIntervalSince1970: 1_795_860_000)
            let other = try await db.raw("SELECT \(bind: date)::timestamptz AS v").all()
            // then
            #expect(try first[0].decode(column: "v", as: String.self) == "a")
            #expect(try second[0].decode(column: "v", as: String.self) == "bc")
            #expect(try other[0].decode(column: "v", as: Date.self) == date)
            #expect(names.issued == 1)
            #expect(try await preparedNames(db).count == 1)
        }
    }

    /// A connection source on a new database, its URL ending in `query`.
    func withSource(query: String = "", _ body: (MusterPostgres.PostgresConnectionSource, String) async throws -> Void) async throws {
        let database = try await Self.postgres.makeDatabase()
        let source = try await PostgresConnectionSource.open(url: database.url + query)
        do {
            try await body(source, database.url)
            try await source.shutdown()
            await database.remove()
        } catch {
            try? await source.shutdown()
            await database.remove()
            throw error
        }
    }

    static func planCacheMode(_ db: any SQLDatabase) async throws -> String {
        try await db.raw("SHOW plan_cache_mode").all()[0].decode(column: "plan_cache_mode", as: String.self)
    }

    @Test("hot transactions get connections that always use generic plans; other work keeps PostgreSQL's choice")
    func planCacheMode() async throws {
        try await withSource { source, _ in
            // when
            let hot = try await source.withConnection(reusingStatements: true) { db in try await Self.planCacheMode(db) }
            let plain = try await source.withConnection { db in try await Self.planCacheMode(db) }
            // then
            #expect(hot == "force_generic_plan")
            #expect(plain == "auto")
        }
    }

    @Test("prepared_statements=off in the URL runs hot transactions unprepared; another value is refused")
    func optOut() async throws {
        try await withSource(query: "?prepared_statements=off") { source, url in
            // when
            let (prepared, mode) = try await source.withConnection(reusingStatements: true) { db in
                for _ in 1...3 { _ = try await db.raw("SELECT \(bind: "x")::text AS v").all() }
                let prepared = try await db.raw("SELECT count(*) AS n FROM pg_prepared_statements").all()[0].decode(
                    column: "n", as: Int.self)
                return (prepared, try await Self.planCacheMode(db))
            }
            // then
            #expect(prepared == 0)
            #expect(mode == "auto")
            #expect(throws: StoreError.self) { try PostgresConnectionSource(url: url + "?prepared_statements=sometimes") }
        }
    }
}

@Suite("Binds written for PostgreSQL")
struct PostgresBindsTests {
    @Test("each value's type is a letter of the signature; a nil is a NULL; other types are refused")
    func signature() throws {
        // given
        let some: String? = "x"
        let none: Int64? = nil
        let values: [any Encodable & Sendable] = ["a", Int64(1), 2, true, 1.5, ["b"], [Int64(3)], [false], some, none]
        // when
        let binds = try #require(PostgresBinds(values))
        // then
        #expect(binds.signature == "tiibdTIBtn")
        #expect(binds.bindings.count == values.count)
        #expect(PostgresBinds(["a", Date()]) == nil)
        #expect(PostgresBinds([[1.5]]) == nil)
    }

    @Test("names are one per text and signature, bounded, and a retired name is replaced")
    func names() {
        // given
        let names = StatementNames(limit: 3)
        // when
        let first = names.name(sql: "SELECT $1", signature: "t")
        let again = names.name(sql: "SELECT $1", signature: "t")
        let otherTypes = names.name(sql: "SELECT $1", signature: "i")
        names.retire(first!)
        let renamed = names.name(sql: "SELECT $1", signature: "t")
        let beyond = names.name(sql: "SELECT 2, $1", signature: "t")
        // then
        #expect(first != nil && first == again)
        #expect(otherTypes != nil && otherTypes != first)
        #expect(renamed != nil && renamed != first && renamed != otherTypes)
        #expect(beyond == nil)
    }
}
