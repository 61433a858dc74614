import Foundation
import MusterSQLite
import SQLKit
import Testing

/// The direct SQLite driver under the store: values, statement reuse, errors.
@Suite("SQLite driver")
struct SQLiteDriverTests {
    private func withSource(_ body: (SQLiteConnectionSource) async throws -> Void) async throws {
        try await withSource { source, _ in try await body(source) }
    }

    private func withSource(_ body: (SQLiteConnectionSource, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-driver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try await SQLiteConnectionSource.open(path: folder.appendingPathComponent("driver.db").path)
        do {
            try await body(source, folder.appendingPathComponent("driver.db").path)
            try await source.shutdown()
        } catch {
            try? await source.shutdown()
            throw error
        }
    }

    @Test("text, integers, reals, nulls and blobs come back as they went in")
    func values() async throws {
        try await withSource { source in
            try await source.withConnection { db in
                // given
                try await db.raw("CREATE TABLE t (s TEXT, i INTEGER, r REAL, n TEXT, b BLOB)").run()
                let text = "Zürich 🚨 \"quoted\"\n\u{0}after nul"
                // when
                try await db.raw(
                    "INSERT INTO t VALUES (\(bind: text), \(bind: Int.min), \(bind: 2.5), \(bind: String?.none), \(bind: Data([0, 1, 255])))"
                ).run()
                try await db.raw("INSERT INTO t VALUES (\(bind: ""), \(bind: Int.max), \(bind: -0.125), \(bind: "set"), \(bind: Data()))")
                    .run()
                let rows = try await db.raw("SELECT s, i, r, n, b FROM t ORDER BY i").all()
                // then
                #expect(rows.count == 2)
                #expect(try rows[0].decode(column: "s", as: String.self) == text)
                #expect(try rows[0].decode(column: "i", as: Int.self) == Int.min)
                #expect(try rows[0].decode(column: "r", as: Double.self) == 2.5)
                #expect(try rows[0].decodeNil(column: "n"))
                #expect(try rows[0].decode(column: "n", as: String?.self) == nil)
                #expect(try rows[0].decode(column: "b", as: Data.self) == Data([0, 1, 255]))
                #expect(try rows[1].decode(column: "s", as: String.self) == "")
                #expect(try rows[1].decode(column: "i", as: Int.self) == Int.max)
                #expect(try rows[1].decode(column: "n", as: String?.self) == "set")
                #expect(rows[1].allColumns == ["s", "i", "r", "n", "b"])
                #expect(!rows[1].contains(column: "missing"))
                #expect(throws: (any Error).self) { try rows[1].decode(column: "missing", as: String.self) }
            }
        }
    }

    @Test("timestamps, optional text and other types bind with their SQLite types")
    func bindTypes() async throws {
        try await withSource { source in
            try await source.withConnection { db in
                // given
                let stamp: Int64 = 1_795_860_000_123
                // when
                let row = try await db.raw(
                    """
                    SELECT typeof(\(bind: stamp)) AS stamp, \(bind: stamp) AS value, typeof(\(bind: String?.some("x"))) AS some,
                        typeof(\(bind: String?.none)) AS none, typeof(\(bind: Int64?.none)) AS noStamp,
                        typeof(\(bind: true)) AS flag, typeof(\(bind: 1.5)) AS real
                    """
                ).first()
                // then
                let found = try #require(row)
                #expect(try found.decode(column: "stamp", as: String.self) == "integer")
                #expect(try found.decode(column: "value", as: Int64.self) == stamp)
                #expect(try found.decode(column: "some", as: String.self) == "text")
                #expect(try found.decode(column: "none", as: String.self) == "null")
                #expect(try found.decode(column: "noStamp", as: String.self) == "null")
                #expect(try found.decode(column: "flag", as: String.self) == "integer")
                #expect(try found.decode(column: "real", as: String.self) == "real")
            }
        }
    }

    @Test("a statement run again with new binds answers for the new binds")
    func reuse() async throws {
        try await withSource { source in
            try await source.withConnection { db in
                // given
                try await db.raw("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)").run()
                for k in 0..<50 { try await db.raw("INSERT INTO t VALUES (\(bind: "k\(k)"), \(bind: k * 10))").run() }
                // when: one SQL text, many binds (LIKE and LIMIT let SQLite plan by the bound value)
                var found: [Int] = []
                for k in [3, 41, 7, 3] {
                    let row = try await db.raw("SELECT v FROM t WHERE k LIKE \(bind: "k\(k)") LIMIT \(bind: 1)").first()
                    found.append(try row?.decode(column: "v", as: Int.self) ?? -1)
                }
                let limited = try await db.raw("SELECT v FROM t ORDER BY v LIMIT \(bind: 2)").all().count
                let more = try await db.raw("SELECT v FROM t ORDER BY v LIMIT \(bind: 5)").all().count
                // then
                #expect(found == [30, 410, 70, 30])
                #expect(limited == 2)
                #expect(more == 5)
            }
        }
    }

    @Test("a failed statement reports SQLite's reason and the connection goes on working")
    func errors() async throws {
        try await withSource { source in
            try await source.withConnection { db in
                // given
                try await db.raw("CREATE TABLE t (k TEXT PRIMARY KEY)").run()
                try await db.raw("INSERT INTO t VALUES (\(bind: "a"))").run()
                // when
                let duplicate = await #expect(throws: (any Error).self) { try await db.raw("INSERT INTO t VALUES (\(bind: "a"))").run() }
                let syntax = await #expect(throws: (any Error).self) { try await db.raw("SELEC nothing").run() }
                try await db.raw("INSERT INTO t VALUES (\(bind: "b"))").run()
                // then
                #expect(String(describing: duplicate).contains("UNIQUE constraint failed"))
                #expect(String(describing: syntax).contains("syntax error"))
                #expect(try await db.raw("SELECT COUNT(*) AS n FROM t").first()?.decode(column: "n", as: Int.self) == 2)
            }
        }
    }

    @Test("past the statement cache's size the oldest statements make room and still run")
    func eviction() async throws {
        try await withSource { source in
            try await source.withConnection { db in
                // when: 1,500 distinct statements, then the first ones again
                for n in 0..<1_500 {
                    let value = try await db.raw("SELECT \(unsafeRaw: String(n)) + \(bind: 1) AS v").first()?.decode(
                        column: "v", as: Int.self)
                    #expect(value == n + 1)
                }
                let again = try await db.raw("SELECT 0 + \(bind: 5) AS v").first()?.decode(column: "v", as: Int.self)
                // then
                #expect(again == 5)
            }
        }
    }

    @Test("the write-ahead log is copied into the database file in the background")
    func checkpoints() async throws {
        try await withSource { source, path in
            // when: about 4 MB are committed, under the writer's own checkpoint threshold
            try await source.withConnection { db in
                try await db.raw("PRAGMA wal_autocheckpoint = 100000").run()
                try await db.raw("CREATE TABLE t (v TEXT)").run()
                let value = String(repeating: "x", count: 4_000)
                for _ in 0..<10 {
                    var rows = [SQLQueryString]()
                    for _ in 0..<100 { rows.append("(\(bind: value))") }
                    try await db.raw("INSERT INTO t (v) VALUES \(rows.joined(separator: ", "))").run()
                }
            }
            // then: the database file itself grows to hold them, within a few seconds
            var size = 0
            for _ in 0..<100 where size < 4_000_000 {
                try await Task.sleep(for: .milliseconds(50))
                size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            }
            #expect(size >= 4_000_000)
        }
    }

    @Test("under steady writes the write-ahead log starts over instead of growing")
    func boundedLog() async throws {
        try await withSource { source, path in
            // given
            try await source.withConnection { db in try await db.raw("CREATE TABLE t (v TEXT)").run() }
            let value = String(repeating: "y", count: 8_000)
            // when: about 24 MB in 3,000 small transactions, while the background checkpoints run
            for _ in 0..<3_000 {
                try await source.withConnection { db in
                    try await db.raw("BEGIN IMMEDIATE").run()
                    try await db.raw("INSERT INTO t (v) VALUES (\(bind: value))").run()
                    try await db.raw("COMMIT").run()
                }
            }
            // then: the log stays near SQLite's automatic checkpoint size (1,000 pages, about 4 MB)
            let log = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(log < 12_000_000)
        }
    }
}
