import SQLKit

/// Hands out a database connection for the length of a closure; the backend modules implement it.
public protocol SQLConnectionSource: Sendable {
    var dialect: StoreDialect { get }
    /// Where a serial writer should run to be nearest this source's statements.
    var writerExecutor: any TaskExecutor { get }
    /// Runs `body` with one connection that no one else uses meanwhile.
    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func shutdown() async throws
}
