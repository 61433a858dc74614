import Foundation
import MusterTestSupport
import SQLKit
import Testing

@testable import MusterStore

/// Multi-row statements send the same rows on both databases, whether as a `VALUES` list
/// (SQLite) or as one array per column (PostgreSQL).
@Suite("Multi-row values")
struct SQLValueRowsTests {
    struct Probe: Equatable {
        var text: String
        var optionalText: String?
        var number: Int64
        var optionalNumber: Int64?
    }

    let probes = [
        Probe(text: "plain", optionalText: nil, number: 1, optionalNumber: nil),
        Probe(text: "", optionalText: "", number: -9_007_199_254_740_993, optionalNumber: 0),
        Probe(text: "quote ' and \" and \\ and {braces}, commas", optionalText: "NULL", number: Int64.max, optionalNumber: Int64.min),
        Probe(text: "ünïcødé 🚨 \u{2028}", optionalText: nil, number: 0, optionalNumber: 42),
    ]

    func withProbeTable(_ backend: TestBackend, _ body: @escaping @Sendable (SQLStore) async throws -> Void) async throws {
        try await backend.withStore { store in
            let store = try #require(store as? SQLStore)
            try await store.transaction { db in
                try await db.raw("CREATE TABLE row_probe (pos INTEGER NOT NULL, a TEXT NOT NULL, b TEXT, c BIGINT NOT NULL, d BIGINT)")
                    .run()
            }
            try await body(store)
        }
    }

    func readProbes(_ store: SQLStore) async throws -> [Probe] {
        try await store.read { db in
            try await db.raw("SELECT a, b, c, d FROM row_probe ORDER BY pos").all().map { row in
                Probe(
                    text: try row.decode(column: "a", as: String.self), optionalText: try row.decode(column: "b", as: String?.self),
                    number: try row.decode(column: "c", as: Int64.self), optionalNumber: try row.decode(column: "d", as: Int64?.self))
            }
        }
    }

    @Test("an insert stores every row exactly, NULLs, empty text and the extremes of 64 bits included", arguments: TestBackend.all)
    func insertRoundTrip(backend: TestBackend) async throws {
        let probes = probes
        try await withProbeTable(backend) { store in
            // given
            var rows = SQLValueRows(width: 5, for: store.dialect)
            for (position, probe) in probes.enumerated() {
                rows.append(position, probe.text, probe.optionalText, probe.number, probe.optionalNumber)
            }
            // when
            try await store.transaction { [rows] db in
                try await db.raw("INSERT INTO row_probe (pos, a, b, c, d) \(rows)").run()
            }
            // then
            #expect(try await readProbes(store) == probes)
            let sent = try await store.read { [rows] db in
                var serializer = SQLSerializer(database: db)
                rows.serialize(to: &serializer)
                return (serializer.sql, serializer.binds.count)
            }
            if store.dialect.bindsRowsAsArrays {
                #expect(sent.0.contains("FROM unnest("))
                #expect(sent.1 == 7)  // a bind per column and one per column with NULLs
            } else {
                #expect(sent.0.hasPrefix("VALUES ("))
                #expect(sent.1 == 20)
            }
        }
    }

    @Test("as a row source its columns are column1, column2, … and a column of only NULLs keeps its type", arguments: TestBackend.all)
    func rowSource(backend: TestBackend) async throws {
        try await withProbeTable(backend) { store in
            // given
            var rows = SQLValueRows(width: 3, for: store.dialect)
            rows.append("b", Int64?.none, 2)
            rows.append("a", Int64?.none, 1)
            // when
            let read = try await store.read { [rows] db in
                try await db.raw(
                    """
                    SELECT v.column1 AS name, v.column2 AS missing, v.column3 + 1 AS next FROM (\(rows)) AS v ORDER BY v.column3
                    """
                ).all().map { row in
                    "\(try row.decode(column: "name", as: String.self)) \(String(describing: try row.decode(column: "missing", as: Int64?.self))) \(try row.decode(column: "next", as: Int64.self))"
                }
            }
            // then
            #expect(read == ["a nil 2", "b nil 3"])
        }
    }

    @Test("values of another type go as a VALUES list on either database", arguments: TestBackend.all)
    func otherTypes(backend: TestBackend) async throws {
        try await withProbeTable(backend) { store in
            // given: a Double column, which is not sent as an array
            var rows = SQLValueRows(width: 2, for: store.dialect)
            rows.append("half", 0.5)
            rows.append("quarter", 0.25)
            // when
            let read = try await store.read { [rows] db in
                try await db.raw("SELECT v.column1 AS name, v.column2 AS share FROM (\(rows)) AS v ORDER BY v.column2").all().map { row in
                    "\(try row.decode(column: "name", as: String.self))=\(try row.decode(column: "share", as: Double.self))"
                }
            }
            // then
            #expect(read == ["quarter=0.25", "half=0.5"])
            #expect(try await Self.sentBinds(rows, store) == rows.bindCount)
        }
    }

    @Test(
        "a row of another type than the rows before it sends them all as a VALUES list, and says so in its bind count",
        arguments: TestBackend.all)
    func mixedTypes(backend: TestBackend) async throws {
        try await withProbeTable(backend) { store in
            // given: a column of integers until the third row brings a Double
            var rows = SQLValueRows(width: 2, for: store.dialect)
            rows.append("one", Int64(1))
            rows.append("two", Int64(2))
            rows.append("half", 0.5)
            // when
            let read = try await store.read { [rows] db in
                try await db.raw("SELECT v.column1 AS name FROM (\(rows)) AS v ORDER BY v.column1").all().map {
                    try $0.decode(column: "name", as: String.self)
                }
            }
            // then
            #expect(read == ["half", "one", "two"])
            #expect(try await Self.sentBinds(rows, store) == rows.bindCount)
            #expect(rows.bindCount == 6)
        }
    }

    /// How many binds the rows put into a statement.
    static func sentBinds(_ rows: SQLValueRows, _ store: SQLStore) async throws -> Int {
        try await store.read { db in
            var serializer = SQLSerializer(database: db)
            rows.serialize(to: &serializer)
            return serializer.binds.count
        }
    }
}
