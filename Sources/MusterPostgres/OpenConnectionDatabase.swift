import Logging
import MusterStore
import PostgresKit

/// A connection's `SQLDatabase` that sends nothing once the connection has closed, and fails
/// instead.
///
/// PostgresNIO hands each statement to its channel without a write promise. One tick of the event
/// loop after a connection closes, NIO takes its handlers away, and a statement sent after that
/// never reaches PostgresNIO's handler: its answer never comes, and the task waits forever. That
/// happened to the `ROLLBACK` that follows a statement failed by a lost connection, and to the next
/// statement of a transaction whose connection the server closed. The channel is inactive from
/// the moment it closes, before the handlers go, so the check is sound where the statement is
/// sent on the connection's own event loop, as `PostgresConnectionSource` arranges.
struct OpenConnectionDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let connection: PostgresConnection
    /// For the message: host:port/database, never the password.
    let target: String

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        guard !connection.isClosed else { return eventLoop.makeFailedFuture(lost) }
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        guard !connection.isClosed else { throw lost }
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private var lost: StoreError {
        .unavailable("Lost the connection to PostgreSQL at \(target); the statement was not sent, and nothing uncommitted was kept.")
    }
}
