import SQLKit

/// Hands out a database connection for the length of a closure; the backend modules implement it.
public protocol SQLConnectionSource: Sendable {
    var dialect: StoreDialect { get }
    /// Where a serial writer should run to be nearest this source's statements.
    var writerExecutor: any TaskExecutor { get }
    /// Runs `body` with one connection that no one else uses meanwhile. With `reusingStatements`
    /// the source may keep the statements `body` sends prepared on the server and run them again
    /// from there; meant for the hot paths, whose few statement texts repeat many times.
    /// `bounded` work that a remote database has not finished within the source's time limit is
    /// cut off and fails as `StoreError.unavailable`; only migrations, which may wait for another
    /// instance's and rewrite whole tables, run unbounded.
    func withConnection<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T
    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back
    /// when it throws. A source may send the transaction's first statement with its `BEGIN`, and
    /// a write queued with `WritingAtCommit` with its `COMMIT`.
    func transaction<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T
    /// What the operator should know about the database's own settings, one sentence each;
    /// read once when a server starts.
    func settingsAdvice() async -> [String]
    func shutdown() async throws
}

/// A transaction's database that can send a write whose answer no one reads together with the
/// transaction's commit, a round trip fewer where statements travel over a network.
public protocol WritingAtCommit: SQLDatabase {
    /// Queues `query` to run just before the commit; its error, if any, fails the commit.
    func writeAtCommit(_ query: any SQLExpression) throws
}

/// A transaction's database that can send a write and go on before its answer comes, so that the
/// database runs it while the caller prepares the next.
public protocol WritingAhead: SQLDatabase {
    /// Sends `query` now; its error, if any, fails the transaction's next statement or its commit.
    func writeAhead(_ query: any SQLExpression) throws
}

/// A transaction's database that can send reads ahead and collect each one's rows later, so that
/// the database runs them while the caller works on what it has.
public protocol ReadingAhead: SQLDatabase {
    /// Sends `queries` now, in order, after everything sent before; one ticket per query.
    func readAhead(_ queries: [any SQLExpression]) throws -> [AheadRead]
    /// The rows of a read sent ahead, once they have come. Each ticket is collected once.
    func rows(of read: AheadRead) async throws -> [any SQLRow]
}

/// A read sent ahead (`ReadingAhead`): where its result comes among the statements sent.
public struct AheadRead: Hashable, Sendable {
    /// Which run of statements sent ahead: a new one begins after each round trip.
    public var run: Int
    /// The statement's place in its run.
    public var index: Int

    public init(run: Int, index: Int) {
        self.run = run
        self.index = index
    }
}

/// A transaction's database that can send several statements in one round trip.
public protocol ReadingTogether: SQLDatabase {
    /// Runs `queries` in order, sent together, and returns each one's rows.
    func rows(of queries: [any SQLExpression]) async throws -> [[any SQLRow]]
}

extension SQLConnectionSource {
    public func settingsAdvice() async -> [String] { [] }

    public func transaction<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await plainTransaction(reusingStatements: reusingStatements, bounded: bounded, body)
    }

    /// `BEGIN`, `body`, then `COMMIT`, or `ROLLBACK` when `body` throws, each its own statement.
    public func plainTransaction<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let begin = dialect.beginTransaction
        return try await withConnection(reusingStatements: reusingStatements, bounded: bounded) { db in
            try await db.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body` with one connection that no one else uses meanwhile.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection(reusingStatements: false, bounded: true, body)
    }

    /// Runs `body` with one connection that no one else uses meanwhile, bounded in time.
    public func withConnection<T: Sendable>(
        reusingStatements: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await withConnection(reusingStatements: reusingStatements, bounded: true, body)
    }
}
