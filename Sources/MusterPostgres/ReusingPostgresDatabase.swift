import Logging
import PostgresKit

/// A connection's `SQLDatabase` that runs statements with bound values as named prepared
/// statements, prepared on the connection the first time and run from there after: PostgreSQL
/// then neither parses nor (once it settles on a generic plan) plans them again. For a
/// transaction of sixteen single alerts, parsing and planning its three statements took about as
/// long as running them.
///
/// Statements without binds, or with a bind of a type `PostgresBinds` does not write, and any
/// statement once `StatementNames` has given all its names, go PostgresKit's ordinary way.
struct ReusingPostgresDatabase: SQLDatabaseWrapper {
    let connection: PostgresConnection
    /// PostgresKit's database on the same connection, for everything not run here.
    let plain: any SQLDatabase
    let names: StatementNames

    init(connection: PostgresConnection, plain: any SQLDatabase, names: StatementNames = .shared) {
        self.connection = connection
        self.plain = plain
        self.names = names
    }

    var base: any SQLDatabase { plain }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        plain.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, values) = serialize(query)
        guard !values.isEmpty, let binds = PostgresBinds(values), let name = names.name(sql: sql, signature: binds.signature) else {
            return try await plain.execute(sql: query, onRow)
        }
        if let level = queryLogLevel, logger.logLevel <= level {
            logger.log(level: level, "Executing prepared statement", metadata: ["name": .string(name), "sql": .string(sql)])
        }
        do {
            try await ReusedStatement.$current.withValue(ReusedStatement.Current(name: name, sql: sql)) {
                for try await row in try await connection.execute(ReusedStatement(bindings: binds.bindings), logger: logger) {
                    onRow(row.sql())
                }
            }
        } catch {
            if Self.mayHaveFailedPreparing(error) { names.retire(name) }
            throw error
        }
    }

    /// Whether `error` may have come from preparing the statement, which PostgresNIO would then
    /// repeat to every later run of its name on this connection. Only running a statement breaks a
    /// constraint (class 23) or meets bad data (class 22, which parsing raises only for a literal,
    /// the same at every try); anything else, a missing table, a transaction already failed, a
    /// cancelled statement or a lost connection, may have met the preparation.
    static func mayHaveFailedPreparing(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return true }
        return !(state.hasPrefix("22") || state.hasPrefix("23"))
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
