import PostgresKit

/// The bound values of a statement, written straight into PostgresNIO's bindings, with a
/// signature of their types. The signature names a prepared statement together with its text:
/// PostgreSQL fixes a prepared statement's parameter types when it parses it.
///
/// Only the types `BindValue` knows are written here; any other makes `init` fail and the
/// statement goes PostgresKit's general `Encodable` way.
struct PostgresBinds {
    private(set) var bindings: PostgresBindings
    /// One letter per value: its PostgreSQL type, or `n` for a NULL.
    private(set) var signature: String

    init?(_ values: [any Encodable & Sendable]) {
        bindings = PostgresBindings(capacity: values.count)
        var letters: [UInt8] = []
        letters.reserveCapacity(values.count)
        for value in values {
            guard let value = BindValue(value) else { return nil }
            value.append(to: &bindings)
            letters.append(value.letter)
        }
        signature = String(decoding: letters, as: UTF8.self)
    }
}
