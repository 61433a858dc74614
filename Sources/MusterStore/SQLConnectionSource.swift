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
    func shutdown() async throws
}

extension SQLConnectionSource {
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
