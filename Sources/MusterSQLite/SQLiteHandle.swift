import CMusterSQLite
import MusterStore
import NIOCore
import SQLiteNIO
import VaporCSQLite

/// One open `sqlite3` connection, used synchronously on the caller's thread, with its prepared
/// statements kept for reuse.
///
/// SQLiteNIO runs every statement on a thread pool and resumes the caller afterwards: two thread
/// switches per statement, and the SQL parsed anew each time. Muster has one connection used by
/// one holder at a time (`SQLiteConnectionSource`), on a thread of its own, so it can call SQLite
/// directly; an ingest transaction's dozen statements then cost no switches, and a repeated
/// statement is prepared once.
final class SQLiteHandle: @unchecked Sendable {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The cached statements' SQL, oldest first.
    private var preparedOrder: [String] = []
    /// Prepared statements kept at most; the oldest goes first. Multi-row statements differ by
    /// their row count, so a busy server prepares a few hundred shapes.
    private let maxStatements = 1_024

    /// Opens (creating if needed) the database at `path`.
    init(path: String) throws {
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        var handle: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteFailure(code: status, message: "\(message) (\(path))")
        }
        let planning = muster_sqlite_enable_qpsg(UnsafeMutableRawPointer(handle))
        guard planning == SQLITE_OK else {
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteFailure(code: planning, message: "cannot turn on the query planner stability guarantee (\(path))")
        }
        db = handle
    }

    /// Runs one SQL statement with its binds and returns its result rows. The statement is kept
    /// prepared for the next call with the same SQL; a failure leaves it reset for that call.
    func execute(_ sql: String, _ binds: [SQLiteData]) throws -> [SQLiteValues] {
        guard let db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "The SQLite connection is closed.") }
        let statement = try prepared(sql, on: db)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            try check(bind(value, at: Int32(index + 1), of: statement), on: db)
        }
        var rows: [SQLiteValues] = []
        var columns: SQLiteColumns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw failure(status, on: db) }
            let names = columns ?? SQLiteColumns(statement)
            columns = names
            rows.append(SQLiteValues(columns: names, values: (0..<Int32(names.names.count)).map { value(at: $0, of: statement) }))
        }
        return rows
    }

    /// Finalizes every statement and closes the connection.
    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        preparedOrder.removeAll()
        sqlite_nio_sqlite3_close(db)
        db = nil
    }

    private func prepared(_ sql: String, on db: OpaquePointer) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        if statements.count >= maxStatements, let oldest = statements.removeValue(forKey: preparedOrder.removeFirst()) {
            sqlite_nio_sqlite3_finalize(oldest)
        }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status, on: db) }
        statements[sql] = statement
        preparedOrder.append(sql)
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, of statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let number):
            return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number):
            return sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .text(let text):
            return sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
        case .blob(let bytes):
            return bytes.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), sqliteTransient)
            }
        case .null:
            return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func value(at column: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }

    private func check(_ status: Int32, on db: OpaquePointer) throws {
        guard status == SQLITE_OK else { throw failure(status, on: db) }
    }

    private func failure(_ status: Int32, on db: OpaquePointer) -> SQLiteFailure {
        SQLiteFailure(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
    }
}

private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// An error SQLite reported, with its (extended) result code.
struct SQLiteFailure: Error, CustomStringConvertible {
    var code: Int32
    var message: String

    var description: String { "SQLite error \(code): \(message)" }

    /// What the store's callers see. A full disk, I/O errors and locks are the database being
    /// unavailable (503: senders retry, and the log says so once a minute), not a server fault;
    /// the server carries on once the cause is gone.
    var storeError: any Error {
        switch code & 0xff {
        case SQLITE_FULL:
            StoreError.unavailable("The SQLite database cannot grow: its disk is full (\(self)). Free space; Muster carries on by itself.")
        case SQLITE_IOERR, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOMEM, SQLITE_PROTOCOL, SQLITE_NOLFS:
            StoreError.unavailable("The SQLite database cannot be used right now (\(self)).")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            StoreError.corrupt("\(self)")
        // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY, as PostgreSQL's 23505.
        case SQLITE_CONSTRAINT where code == 2067 || code == 1555:
            StoreError.conflict("That record already exists.")
        case SQLITE_TOOBIG:
            StoreError.rejected("\(self)")
        default:
            self
        }
    }
}
