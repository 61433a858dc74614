import Logging
import MusterStore
import NIOConcurrencyHelpers
import NIOCore
import PostgresKit

/// One transaction on a `PipelinedConnection`, as the `SQLDatabase` its body runs statements on.
///
/// `BEGIN` travels with the first statement, and the write queued by `writeAtCommit` with
/// `COMMIT`; every other statement is one round trip, as it must be, since the body reads its
/// answer. A statement's error leaves the server skipping to the next Sync, so `rollback` sends
/// one before its `ROLLBACK`.
final class PipelinedTransaction: SQLDatabase, WritingAtCommit, ReadingTogether {
    private let connection: PipelinedConnection
    /// For messages: host:port/database, never the password.
    private let target: String
    let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var begun = false
        /// A statement failed: the server skips everything up to the next Sync.
        var skipping = false
        var atCommit: (sql: String, values: [BindValue])?
    }

    init(connection: PipelinedConnection, target: String, logger: Logger) {
        self.connection = connection
        self.target = target
        self.logger = logger
    }

    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { PostgresDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        for row in try await rows(of: [query])[0] { onRow(row) }
    }

    func rows(of queries: [any SQLExpression]) async throws -> [[any SQLRow]] {
        let statements = try queries.map(statement)
        let begun = state.withLockedValue { $0.begun }
        var messages = FrontendMessages()
        var parsed: [String] = []
        if !begun, let name = connection.append("BEGIN", [], to: &messages) { parsed.append(name) }
        for (sql, values) in statements {
            if let name = connection.append(sql, values, to: &messages) { parsed.append(name) }
        }
        messages.flush()
        let skipped = begun ? 0 : 1
        let answer = try await exchange(messages, until: .results(statements.count + skipped), parsed: parsed)
        state.withLockedValue { $0.begun = true }
        if let error = answer.error {
            state.withLockedValue { $0.skipping = true }
            throw PostgresConnectionSource.translate(error, target: target)
        }
        return answer.results.dropFirst(skipped).map { result in
            let columns = WireColumns(result.columns)
            return result.rows.map { WireRow(columns: columns, values: $0) }
        }
    }

    func writeAtCommit(_ query: any SQLExpression) throws {
        let statement = try statement(query)
        state.withLockedValue { $0.atCommit = statement }
    }

    /// Sends the write queued for the commit, then `COMMIT`, in one round trip.
    func commit() async throws {
        let (begun, atCommit) = state.withLockedValue { ($0.begun, $0.atCommit) }
        guard begun || atCommit != nil else { return }
        var messages = FrontendMessages()
        var parsed: [String] = []
        if !begun, let name = connection.append("BEGIN", [], to: &messages) { parsed.append(name) }
        if let atCommit, let name = connection.append(atCommit.sql, atCommit.values, to: &messages) { parsed.append(name) }
        if let name = connection.append("COMMIT", [], to: &messages) { parsed.append(name) }
        messages.sync()
        let answer = try await exchange(messages, until: .readies(1), parsed: parsed)
        state.withLockedValue { $0 = State() }
        if let error = answer.error {
            // The server skipped the COMMIT; the block it left open and failed must be closed.
            if answer.status != UInt8(ascii: "I") { try await end(sync: false) }
            throw PostgresConnectionSource.translate(error, target: target)
        }
        guard answer.status == UInt8(ascii: "I") else {
            connection.close()
            throw StoreError.unavailable("PostgreSQL at \(target) left the transaction open after COMMIT; Muster closed the connection.")
        }
    }

    /// Rolls back whatever the transaction sent; closes the connection when that fails, so that
    /// nothing of it can be committed later.
    func rollback() async {
        let (begun, skipping) = state.withLockedValue { ($0.begun, $0.skipping) }
        state.withLockedValue { $0 = State() }
        guard begun else { return }
        do {
            try await end(sync: skipping)
        } catch {
            connection.close()
        }
    }

    /// `ROLLBACK` and Sync, after a Sync first when the server is skipping to one.
    private func end(sync: Bool) async throws {
        var messages = FrontendMessages()
        if sync { messages.sync() }
        let parsed = connection.append("ROLLBACK", [], to: &messages).map { [$0] } ?? []
        messages.sync()
        let answer = try await exchange(messages, until: .readies(sync ? 2 : 1), parsed: parsed)
        guard answer.status == UInt8(ascii: "I") else {
            throw StoreError.unavailable("PostgreSQL at \(target) did not end the transaction on ROLLBACK.")
        }
    }

    private func exchange(_ messages: FrontendMessages, until end: WireTap.End, parsed: [String]) async throws -> WireTap.Answer {
        let answer = try await connection.exchange(messages, until: end)
        connection.settle(parsed, completed: answer.parsed)
        return answer
    }

    /// The statement's text and values, each of a type `BindValue` writes.
    private func statement(_ query: any SQLExpression) throws -> (sql: String, values: [BindValue]) {
        let (sql, binds) = serialize(query)
        var values: [BindValue] = []
        values.reserveCapacity(binds.count)
        for bind in binds {
            guard let value = BindValue(bind) else {
                throw StoreError.rejected("The ingestion connection cannot send a value of type \(type(of: bind)).")
            }
            values.append(value)
        }
        return (sql, values)
    }
}
