import Logging
import MusterStore
import NIOConcurrencyHelpers
import NIOCore
import PostgresKit

/// One transaction on a `PipelinedConnection`, as the `SQLDatabase` its body runs statements on.
///
/// `BEGIN` travels with the first statement, and the write queued by `writeAtCommit` with
/// `COMMIT`. A read whose rows the body needs now is one round trip; writes and reads sent ahead
/// (`writeAhead`, `readAhead`) go out without waiting, and their answers are read with the next
/// round trip's, or as a read's rows are asked for. The caller ends with `commit`, or with
/// `rollback` when the body or the commit throws.
final class PipelinedTransaction: SQLDatabase, WritingAtCommit, WritingAhead, ReadingAhead, ReadingTogether {
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
        /// Statements sent ahead whose results come first in the next answer.
        var ahead = 0
        /// Counts the runs of statements sent ahead; a round trip ends each.
        var run = 0
        /// Reads sent ahead and not collected yet.
        var wanted: Set<AheadRead> = []
        /// The results of reads sent ahead that a round trip read before they were collected.
        var kept: [AheadRead: WireTap.Result] = [:]
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
        var batch = beginning()
        let (ahead, run) = state.withLockedValue { ($0.ahead, $0.run) }
        let skipped = ahead + batch.statements
        for (sql, values) in try queries.map(statement) { connection.append(sql, values, to: &batch) }
        batch.messages.flush()
        state.withLockedValue {
            $0.ahead = 0
            $0.run += 1
        }
        let answer = try await connection.exchange(batch, until: .results(ahead + batch.statements))
        state.withLockedValue { $0.begun = true }
        if let error = answer.error {
            state.withLockedValue { $0.skipping = true }
            throw PostgresConnectionSource.translate(error, target: target)
        }
        state.withLockedValue { state in
            for read in state.wanted where read.run == run { state.kept[read] = answer.results[read.index] }
        }
        return answer.results.dropFirst(skipped).map(Self.rows)
    }

    private static func rows(_ result: WireTap.Result) -> [any SQLRow] {
        let columns = WireColumns(result.columns)
        return result.rows.map { WireRow(columns: columns, values: $0) }
    }

    /// Sends `queries` now, after everything sent before, and goes on without their answer.
    func readAhead(_ queries: [any SQLExpression]) throws -> [AheadRead] {
        try sendAhead(queries, wanted: true)
    }

    /// Sends `queries` ahead; their places among the statements sent ahead, remembered as wanted
    /// when their rows will be asked for.
    @discardableResult
    private func sendAhead(_ queries: [any SQLExpression], wanted: Bool) throws -> [AheadRead] {
        var batch = beginning()
        let first = batch.statements
        for (sql, values) in try queries.map(statement) { connection.append(sql, values, to: &batch) }
        batch.messages.flush()
        let reads = state.withLockedValue { state in
            let reads = queries.indices.map { AheadRead(run: state.run, index: state.ahead + first + $0) }
            state.begun = true
            state.ahead += batch.statements
            if wanted { state.wanted.formUnion(reads) }
            return reads
        }
        connection.sendAhead(batch)
        return reads
    }

    /// The rows of a read sent ahead: kept by a round trip since, or waited for.
    func rows(of read: AheadRead) async throws -> [any SQLRow] {
        let (kept, current) = state.withLockedValue { state in
            guard state.wanted.remove(read) != nil else { return (nil as WireTap.Result?, false) }
            return (state.kept.removeValue(forKey: read), read.run == state.run)
        }
        if let kept { return Self.rows(kept) }
        guard current else {
            throw CollectedTwice()
        }
        let answer = try await connection.results(ahead: read.index + 1)
        if answer.results.count <= read.index, let error = answer.error {
            state.withLockedValue { $0.skipping = true }
            throw PostgresConnectionSource.translate(error, target: target)
        }
        return Self.rows(answer.results[read.index])
    }

    /// A read sent ahead was collected twice, or after its transaction ended: a fault in Muster,
    /// not in the request or the database, so it is answered as an internal error.
    struct CollectedTwice: Error, CustomStringConvertible {
        var description: String { "A read sent ahead was collected twice, or after its transaction ended." }
    }

    func writeAtCommit(_ query: any SQLExpression) throws {
        let statement = try statement(query)
        state.withLockedValue { $0.atCommit = statement }
    }

    /// Sends `query` now and goes on without its answer, so that the server runs it while the
    /// caller prepares what comes next. Its error fails the transaction's next statement or commit.
    func writeAhead(_ query: any SQLExpression) throws {
        try sendAhead([query], wanted: false)
    }

    /// Sends the write queued for the commit, then `COMMIT`, in one round trip. When it fails,
    /// `rollback` ends the block the server left open.
    func commit() async throws {
        let (begun, atCommit) = state.withLockedValue { ($0.begun, $0.atCommit) }
        guard begun || atCommit != nil else { return }
        var batch = beginning()
        if let atCommit { connection.append(atCommit.sql, atCommit.values, to: &batch) }
        connection.append("COMMIT", [], to: &batch)
        batch.messages.sync()
        let answer = try await connection.exchange(batch, until: .readies(1))
        let open = answer.status != UInt8(ascii: "I")
        state.withLockedValue { $0 = State(begun: open) }
        if let error = answer.error { throw PostgresConnectionSource.translate(error, target: target) }
        guard !open else {
            throw StoreError.unavailable("PostgreSQL at \(target) left the transaction open after COMMIT.")
        }
    }

    /// Rolls back whatever the transaction sent: `ROLLBACK` and Sync, after a Sync first when the
    /// server is skipping to one. Closes the connection when that fails, so that nothing of the
    /// transaction can be committed later.
    func rollback() async {
        let (begun, skipping) = state.withLockedValue { ($0.begun, $0.skipping || $0.ahead > 0) }
        state.withLockedValue { $0 = State() }
        guard begun else { return }
        var batch = PipelinedConnection.Batch()
        // After statements sent ahead the server may be skipping to a Sync, or not: a Sync
        // first ends either way in the transaction block, which ROLLBACK then closes.
        if skipping { batch.messages.sync() }
        connection.append("ROLLBACK", [], to: &batch)
        batch.messages.sync()
        let answer = try? await connection.exchange(batch, until: .readies(skipping ? 2 : 1))
        if answer?.status != UInt8(ascii: "I") { connection.close() }
    }

    /// A batch that opens the transaction with `BEGIN` unless it is open already.
    private func beginning() -> PipelinedConnection.Batch {
        var batch = PipelinedConnection.Batch()
        if !state.withLockedValue({ $0.begun }) { connection.append("BEGIN", [], to: &batch) }
        return batch
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
