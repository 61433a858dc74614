import Logging
import NIOCore
import SQLKit
import SQLiteKit

/// SQLKit's view of a `SQLiteHandle`: statements run on the calling thread, at once.
///
/// Only `SQLiteConnectionSource` hands it out, to one holder at a time and on its own thread.
struct DirectSQLiteDatabase: SQLDatabase {
    let handle: SQLiteHandle
    let logger: Logger
    let eventLoop: any EventLoop
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        if logger.logLevel <= .debug {
            logger.debug("Executing query", metadata: ["sql": .string(sql), "binds": .array(binds.map { .string("\($0)") })])
        }
        let encoder = SQLiteDataEncoder()
        // The types the store binds, most frequent first, go straight in: SQLiteKit's encoder took
        // every timestamp (Int64) and every NULL through an Encoder of its own. A nil of any
        // optional type casts to a nil `String?`, so every NULL takes the `String?` case.
        let values = try binds.map { bind -> SQLiteData in
            switch bind {
            case let text as String: .text(text)
            case let number as Int64: .integer(Int(number))
            case let number as Int: .integer(number)
            case let text as String?: text.map(SQLiteData.text) ?? .null
            default: try encoder.encode(bind)
            }
        }
        for row in try handle.execute(sql, values) { onRow(row) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await execute(sql: query, onRow) }
        return promise.futureResult
    }
}
