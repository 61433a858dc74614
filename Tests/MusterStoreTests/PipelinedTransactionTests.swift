import Foundation
import MusterStore
import MusterTestSupport
import NIOCore
import PostgresKit
import Testing

@testable import MusterPostgres

/// Ingestion's transactions on PostgreSQL travel on a pipelined connection of their own
/// (`PipelinedConnection`): what they commit, what they roll back, and how they fare when a
/// statement fails, the body throws, or the server ends the connection.
@Suite("Pipelined transactions on PostgreSQL", .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
struct PipelinedTransactionTests {
    /// A connection source on a new database with a table `probe (id TEXT PRIMARY KEY, …)`.
    func withSource(_ body: (MusterPostgres.PostgresConnectionSource) async throws -> Void) async throws {
        try await ReusedStatementTests().withSource { source, _ in
            try await source.withConnection { db in
                try await db.raw(
                    """
                    CREATE TABLE probe (id TEXT PRIMARY KEY, i BIGINT, b BOOLEAN, d DOUBLE PRECISION, ta TEXT[], ia BIGINT[], ba BOOLEAN[])
                    """
                ).run()
            }
            try await body(source)
        }
    }

    func pipelined<T: Sendable>(
        _ source: MusterPostgres.PostgresConnectionSource, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await source.transaction(reusingStatements: true, bounded: true) { db in
            #expect(db is PipelinedTransaction)
            return try await body(db)
        }
    }

    /// Adds a probe row of this id.
    func insert(_ id: String, on db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO probe (id) VALUES (\(bind: id))").run()
    }

    func ids(_ source: MusterPostgres.PostgresConnectionSource) async throws -> [String] {
        try await source.withConnection { db in
            try await db.raw("SELECT id FROM probe ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
        }
    }

    struct Thrown: Error {}

    @Test("reads see the transaction's own writes; the write sent with COMMIT is kept, every bind type as sent")
    func commits() async throws {
        try await withSource { source in
            // when
            let seen = try await pipelined(source) { db in
                try await db.raw("INSERT INTO probe (id, i) VALUES (\(bind: "a"), \(bind: Int64?.none))").run()
                let seen = try await db.raw("SELECT id, i, i IS NULL AS empty FROM probe WHERE id = \(bind: "a")").all()
                try (db as! any WritingAtCommit).writeAtCommit(
                    SQLQueryString(
                        """
                        INSERT INTO probe (id, i, b, d, ta, ia, ba) VALUES (\(bind: "ünï 'q' \u{1f6a8}"), \(bind: Int64.min), \(bind: true),
                            \(bind: 2.5), \(bind: ["x", "", "c,d"]), \(bind: [Int64.max, 0]), \(bind: [false, true]))
                        """))
                return try seen.map {
                    (
                        try $0.decode(column: "id", as: String.self), try $0.decode(column: "i", as: Int64?.self),
                        try $0.decode(column: "empty", as: Bool.self)
                    )
                }
            }
            // then
            #expect(seen.count == 1)
            #expect(seen.first?.0 == "a")
            #expect(seen.first?.1 == nil)
            #expect(seen.first?.2 == true)
            let row = try await source.withConnection { db in
                try await db.raw("SELECT * FROM probe WHERE id <> 'a'").all()
            }
            #expect(row.count == 1)
            #expect(try row[0].decode(column: "id", as: String.self) == "ünï 'q' \u{1f6a8}")
            #expect(try row[0].decode(column: "i", as: Int64.self) == Int64.min)
            #expect(try row[0].decode(column: "b", as: Bool.self) == true)
            #expect(try row[0].decode(column: "d", as: Double.self) == 2.5)
            #expect(try row[0].decode(column: "ta", as: [String].self) == ["x", "", "c,d"])
            #expect(try row[0].decode(column: "ia", as: [Int64].self) == [Int64.max, 0])
            #expect(try row[0].decode(column: "ba", as: [Bool].self) == [false, true])
        }
    }

    @Test("statements are parsed once per connection and run by name after")
    func preparedOnce() async throws {
        try await withSource { source in
            // when
            for round in 1...3 {
                try await pipelined(source) { db in
                    try await insert("r\(round)", on: db)
                }
            }
            let prepared = try await pipelined(source) { db in
                try await db.raw("SELECT name FROM pg_prepared_statements ORDER BY name").all().map {
                    try $0.decode(column: "name", as: String.self)
                }
            }
            // then: BEGIN, the insert, COMMIT, and the read of the names
            #expect(prepared.count == 4)
            #expect(try await ids(source) == ["r1", "r2", "r3"])
        }
    }

    @Test("a statement's error rolls back what the transaction wrote before it, and the next transaction runs")
    func statementError() async throws {
        try await withSource { source in
            // given
            try await pipelined(source) { db in try await insert("kept", on: db) }
            // when
            await #expect(throws: StoreError.self) {
                try await pipelined(source) { db in
                    try await insert("lost", on: db)
                    try await insert("kept", on: db)
                }
            }
            try await pipelined(source) { db in try await insert("after", on: db) }
            // then
            #expect(try await ids(source) == ["after", "kept"])
        }
    }

    @Test("an error thrown by the transaction's own code rolls back what it wrote")
    func bodyError() async throws {
        try await withSource { source in
            // when
            await #expect(throws: Thrown.self) {
                try await pipelined(source) { db in
                    try await insert("lost", on: db)
                    throw Thrown()
                }
            }
            try await pipelined(source) { db in try await insert("after", on: db) }
            // then
            #expect(try await ids(source) == ["after"])
        }
    }

    @Test("a write sent with COMMIT that fails fails the commit, and nothing of the transaction is kept")
    func failedWriteAtCommit() async throws {
        try await withSource { source in
            // given
            try await pipelined(source) { db in try await insert("kept", on: db) }
            // when
            await #expect(throws: StoreError.self) {
                try await pipelined(source) { db in
                    try await insert("lost", on: db)
                    try (db as! any WritingAtCommit).writeAtCommit(SQLQueryString("INSERT INTO probe (id) VALUES (\(bind: "kept"))"))
                }
            }
            try await pipelined(source) { db in try await insert("after", on: db) }
            // then
            #expect(try await ids(source) == ["after", "kept"])
        }
    }

    /// Sends this insert ahead of the transaction's next statement.
    func insertAhead(_ id: String, on db: any SQLDatabase) throws {
        try (db as! any WritingAhead).writeAhead(SQLQueryString("INSERT INTO probe (id) VALUES (\(bind: id))"))
    }

    @Test("writes sent ahead run in order before the next statement, whose rows are its own, and commit with the rest")
    func writesAhead() async throws {
        try await withSource { source in
            // when
            let seen = try await pipelined(source) { db in
                try insertAhead("a", on: db)
                try insertAhead("b", on: db)
                let seen = try await db.raw("SELECT id FROM probe ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
                try insertAhead("c", on: db)
                try (db as! any WritingAtCommit).writeAtCommit(SQLQueryString("INSERT INTO probe (id) VALUES (\(bind: "d"))"))
                return seen
            }
            // then
            #expect(seen == ["a", "b"])
            #expect(try await ids(source) == ["a", "b", "c", "d"])
        }
    }

    @Test("a write sent ahead that fails fails the next statement, the commit or nothing, and none of its transaction is kept")
    func failedWriteAhead() async throws {
        try await withSource { source in
            // given
            try await pipelined(source) { db in try await insert("kept", on: db) }
            // when it is followed by a read, by the commit alone, or by the transaction's own error
            await #expect(throws: StoreError.self) {
                try await pipelined(source) { db in
                    try insertAhead("lost", on: db)
                    try insertAhead("kept", on: db)
                    try insertAhead("lost too", on: db)
                    _ = try await db.raw("SELECT id FROM probe").all()
                }
            }
            await #expect(throws: StoreError.self) {
                try await pipelined(source) { db in
                    try insertAhead("lost", on: db)
                    try insertAhead("kept", on: db)
                }
            }
            await #expect(throws: Thrown.self) {
                try await pipelined(source) { db in
                    try insertAhead("lost", on: db)
                    throw Thrown()
                }
            }
            try await pipelined(source) { db in try await insert("after", on: db) }
            // then
            #expect(try await ids(source) == ["after", "kept"])
        }
    }

    func idsAhead(_ read: AheadRead, on db: any SQLDatabase) async throws -> [String] {
        try await (db as! any ReadingAhead).rows(of: read).map { try $0.decode(column: "id", as: String.self) }
    }

    @Test("reads sent ahead answer in order, each with the rows of its place among the writes, collected early or after a later round trip")
    func readsAhead() async throws {
        try await withSource { source in
            // when
            let seen = try await pipelined(source) { db in
                let reads = db as! any ReadingAhead
                let select: SQLQueryString = "SELECT id FROM probe ORDER BY id"
                let first = try reads.readAhead([select])
                try insertAhead("a", on: db)
                let second = try reads.readAhead([select, SQLQueryString("SELECT id FROM probe WHERE id = 'none'")])
                try insertAhead("b", on: db)
                let third = try reads.readAhead([select])
                let early = try await idsAhead(second[0], on: db)
                // a round trip reads the rest of the run; the reads not collected yet are kept
                let between = try await db.raw(select).all().map { try $0.decode(column: "id", as: String.self) }
                return [
                    try await idsAhead(first[0], on: db), early, try await idsAhead(second[1], on: db),
                    try await idsAhead(third[0], on: db),
                    between,
                ]
            }
            // then
            #expect(seen == [[], ["a"], [], ["a", "b"], ["a", "b"]])
            #expect(try await ids(source) == ["a", "b"])
        }
    }

    @Test("a read sent ahead that fails fails its collection, or one behind it, and none of its transaction is kept")
    func failedReadAhead() async throws {
        try await withSource { source in
            // given
            try await pipelined(source) { db in try await insert("kept", on: db) }
            // when its own read is collected, or one sent after it
            for collected in [0, 1] {
                await #expect(throws: StoreError.self) {
                    try await pipelined(source) { db in
                        try insertAhead("lost", on: db)
                        let reads = try (db as! any ReadingAhead).readAhead([
                            SQLQueryString("SELECT 1 / 0 AS id"), SQLQueryString("SELECT id FROM probe"),
                        ])
                        _ = try await (db as! any ReadingAhead).rows(of: reads[collected])
                    }
                }
            }
            try await pipelined(source) { db in try await insert("after", on: db) }
            // then
            #expect(try await ids(source) == ["after", "kept"])
        }
    }

    @Test("a statement first sent ahead behind a failing one is parsed again at its next run")
    func skippedParseAhead() async throws {
        try await withSource { source in
            // given
            try await pipelined(source) { db in try await insert("kept", on: db) }
            let fresh = { @Sendable (id: String) in SQLQueryString("INSERT INTO probe (id, i) VALUES (\(bind: id), 7)") }
            // when the server skips the new statement's Parse after the failure
            await #expect(throws: StoreError.self) {
                try await pipelined(source) { db in
                    try insertAhead("kept", on: db)
                    try (db as! any WritingAhead).writeAhead(fresh("lost"))
                }
            }
            try await pipelined(source) { db in try (db as! any WritingAhead).writeAhead(fresh("after")) }
            // then: not "prepared statement does not exist"
            #expect(try await ids(source) == ["after", "kept"])
        }
    }

    @Test("a statement that does not parse fails each time with PostgreSQL's reason, and once its table exists it runs")
    func parseError() async throws {
        try await withSource { source in
            // when
            var messages: [String] = []
            for _ in 1...2 {
                do {
                    _ = try await pipelined(source) { db in try await db.raw("SELECT v FROM later WHERE v = \(bind: "x")").all() }
                } catch {
                    messages.append(String(describing: error))
                }
            }
            try await source.withConnection { db in try await db.raw("CREATE TABLE later (v TEXT)").run() }
            let rows = try await pipelined(source) { db in try await db.raw("SELECT v FROM later WHERE v = \(bind: "x")").all().count }
            // then: not "prepared statement already exists" the second time
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.contains("\"later\" does not exist") }, "\(messages)")
            #expect(rows == 0)
        }
    }

    /// The server process behind `db`'s connection.
    func backendPID(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT pg_backend_pid() AS pid").all()[0].decode(column: "pid", as: Int.self)
    }

    @Test(
        "a connection the server ends fails its transaction as unavailable, whether its writes wait for their answers or go ahead, and the next transaction opens a new one",
        arguments: [false, true])
    func connectionEnded(ahead: Bool) async throws {
        try await withSource { source in
            // given
            let write = { @Sendable (id: String, db: any SQLDatabase) in
                if ahead { try insertAhead(id, on: db) } else { try await insert(id, on: db) }
            }
            let first = try await pipelined(source) { db in try await backendPID(on: db) }
            // when
            let refused = await #expect(throws: StoreError.self) {
                try await pipelined(source) { db in
                    try await write("lost", db)
                    let ended = try await source.withConnection { other in
                        try await other.raw("SELECT pg_terminate_backend(\(bind: first)::integer) AS done").all()[0].decode(
                            column: "done", as: Bool.self)
                    }
                    #expect(ended)
                    try await write("lost too", db)
                }
            }
            let second = try await pipelined(source) { db in
                try await insert("after", on: db)
                return try await backendPID(on: db)
            }
            // then
            #expect(refused.map(StoreError.isUnavailable) == true, "\(String(describing: refused))")
            #expect(second != first)
            #expect(try await ids(source) == ["after"])
        }
    }

    @Test("a pipelined connection idle past its limit is closed and replaced before the next transaction")
    func idleReplaced() async throws {
        try await withSource { source in
            // given
            // The limit leaves a loaded machine time to run the second transaction within it.
            source.pipelineIdleLimit = .seconds(2)
            let backend = { @Sendable in try await self.pipelined(source) { db in try await self.backendPID(on: db) } }
            let first = try await backend()
            let soon = try await backend()
            // when
            try await Task.sleep(for: .milliseconds(2_500))
            let later = try await backend()
            // then
            #expect(soon == first)
            #expect(later != first)
            var gone = false
            for _ in 0..<40 where !gone {
                gone = try await source.withConnection { db in
                    try await db.raw("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = \(bind: first)").all()[0]
                        .decode(column: "n", as: Int.self) == 0
                }
                if !gone { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(gone, "the idle connection's backend \(first) is still there")
        }
    }

    @Test("while one transaction holds the pipelined connection, another runs on the pools")
    func busyFallsBack() async throws {
        try await withSource { source in
            // when
            async let held: Void = pipelined(source) { db in
                _ = try await db.raw("SELECT pg_sleep(\(bind: 0.5)) AS slept").all()
            }
            try await Task.sleep(for: .milliseconds(100))
            let other = try await source.transaction(reusingStatements: true, bounded: true) { db in
                try await insert("beside", on: db)
                return db is PipelinedTransaction
            }
            try await held
            // then
            #expect(other == false)
            #expect(try await ids(source) == ["beside"])
        }
    }
}

@Suite("PostgreSQL's backend messages")
struct BackendMessageTests {
    func buffer(_ code: Character, _ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(code.asciiValue!)
        buffer.writeInteger(Int32(body.count + 4))
        buffer.writeBytes(body)
        return buffer
    }

    @Test("a message is taken only once all of it has arrived, byte by byte or several at once")
    func partial() throws {
        // given
        var whole = buffer("D", [0, 2, 0, 0, 0, 2] + Array("hi".utf8) + [255, 255, 255, 255])
        whole.writeImmutableBuffer(buffer("Z", [UInt8(ascii: "I")]))
        var arriving = ByteBuffer()
        var messages: [BackendMessage] = []
        // when
        for byte in whole.readableBytesView {
            arriving.writeInteger(byte)
            while let message = try BackendMessage.next(from: &arriving) { messages.append(message) }
        }
        // then
        #expect(messages == [.dataRow(["hi", nil]), .ready(UInt8(ascii: "I"))])
        #expect(arriving.readableBytes == 0)
    }

    @Test("an error's state, severity and message are read; an impossible length or unknown type is refused")
    func errorsAndRefusals() throws {
        // given
        var error = buffer("E", Array("SERROR\0VERROR\0C23505\0Mduplicate key\0\0".utf8))
        var huge = ByteBuffer()
        huge.writeInteger(UInt8(ascii: "D"))
        huge.writeInteger(Int32.max)
        var unknown = buffer("?", [])
        var short = buffer("D", [0, 1, 0, 0, 0, 9, 65])
        // when
        let read = try BackendMessage.next(from: &error)
        // then
        #expect(read == .error(.init(state: "23505", severity: "ERROR", message: "duplicate key")))
        #expect(throws: WireError.self) { try BackendMessage.next(from: &huge) }
        #expect(throws: WireError.self) { try BackendMessage.next(from: &unknown) }
        #expect(throws: WireError.self) { try BackendMessage.next(from: &short) }
    }

    @Test("a row's text values decode to the types the stores read, and to a clear error otherwise")
    func rowDecoding() throws {
        // given
        let row = WireRow(
            columns: WireColumns(["s", "n", "b", "none", "u"]), values: ["x", "-42", "t", nil, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"])
        // then
        #expect(try row.decode(column: "s", as: String.self) == "x")
        #expect(try row.decode(column: "n", as: Int.self) == -42)
        #expect(try row.decode(column: "n", as: Int64?.self) == -42)
        #expect(try row.decode(column: "b", as: Bool.self))
        #expect(try row.decode(column: "none", as: String?.self) == nil)
        #expect(try row.decodeNil(column: "none"))
        #expect(try row.decode(column: "u", as: UUID.self) == UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
        #expect(throws: DecodingError.self) { try row.decode(column: "s", as: Int.self) }
        #expect(throws: DecodingError.self) { try row.decode(column: "none", as: String.self) }
        #expect(throws: DecodingError.self) { try row.decode(column: "s", as: [String].self) }
        #expect(throws: DecodingError.self) { try row.decode(column: "missing", as: String.self) }
    }
}
