import Synchronization

/// The names under which statement texts are kept prepared on PostgreSQL connections: one per text
/// and bind signature, the same on every connection (PostgresNIO prepares a name on a connection the
/// first time it runs there, and keeps it for the connection's life).
///
/// Bounded, since every name costs memory on each connection: past `limit` names, statements run
/// unprepared. A statement that failed gets a new name next time, because PostgresNIO remembers a
/// failed preparation under its name and would fail every later run of it on that connection.
final class StatementNames: Sendable {
    private struct Key: Hashable {
        var sql: String
        var signature: String
    }

    private struct State {
        var names: [Key: String] = [:]
        var issued = 0
    }

    /// Shared by every connection of the process, so a text has one name everywhere.
    static let shared = StatementNames(limit: 512)

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// The name for this text and signature, or nil when no more names may be given.
    func name(sql: String, signature: String) -> String? {
        claim(sql: sql, signature: signature)?.name
    }

    /// The name for this text and signature, and whether it was given just now (so is not
    /// prepared anywhere yet); nil when no more names may be given.
    func claim(sql: String, signature: String) -> (name: String, isNew: Bool)? {
        state.withLock { state in
            let key = Key(sql: sql, signature: signature)
            if let known = state.names[key] { return (known, false) }
            guard state.issued < limit else { return nil }
            state.issued += 1
            let name = "muster_\(state.issued)"
            state.names[key] = name
            return (name, true)
        }
    }

    /// Retires `name` after a run of it failed; its text gets a fresh name next time.
    func retire(_ name: String) {
        state.withLock { state in
            if let key = state.names.first(where: { $0.value == name })?.key { state.names[key] = nil }
        }
    }

    /// Names given so far, retired ones included.
    var issued: Int { state.withLock { $0.issued } }
}
