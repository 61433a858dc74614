import PostgresKit

/// A statement run under a name prepared on the connection.
///
/// PostgresNIO runs named prepared statements only through this protocol, whose name and text are
/// static: made for statements known when the program is compiled. Muster's statement texts are
/// made at run time (from a small set), so the name and text come from a task-local value set
/// around each run, and are read while `PostgresConnection.execute` starts, in the same task.
struct ReusedStatement: PostgresPreparedStatement {
    struct Current: Sendable {
        var name: String
        var sql: String
    }

    @TaskLocal static var current = Current(name: "", sql: "")

    static var name: String { current.name }
    static var sql: String { current.sql }

    typealias Row = PostgresRow

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
