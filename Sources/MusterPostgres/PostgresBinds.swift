import PostgresKit

/// The bound values of a statement, written straight into PostgresNIO's bindings, with a
/// signature of their types. The signature names a prepared statement together with its text:
/// PostgreSQL fixes a prepared statement's parameter types when it parses it.
///
/// Only the types Muster's hot statements bind are written here; any other makes `init` fail
/// and the statement goes PostgresKit's general `Encodable` way.
struct PostgresBinds {
    private(set) var bindings: PostgresBindings
    /// One letter per value: its PostgreSQL type, or `n` for a NULL.
    private(set) var signature: String

    init?(_ values: [any Encodable & Sendable]) {
        bindings = PostgresBindings(capacity: values.count)
        var letters: [UInt8] = []
        letters.reserveCapacity(values.count)
        for value in values {
            guard let letter = Self.append(value, to: &bindings) else { return nil }
            letters.append(letter)
        }
        signature = String(decoding: letters, as: UTF8.self)
    }

    /// Appends one value; returns its letter, or nil for a type not written here.
    private static func append(_ value: any Encodable & Sendable, to bindings: inout PostgresBindings) -> UInt8? {
        switch value {
        case let text as String:
            bindings.append(text)
            return UInt8(ascii: "t")
        case let number as Int64:
            bindings.append(number)
            return UInt8(ascii: "i")
        case let number as Int:
            bindings.append(Int64(number))
            return UInt8(ascii: "i")
        case let flag as Bool:
            bindings.append(flag)
            return UInt8(ascii: "b")
        case let number as Double:
            bindings.append(number)
            return UInt8(ascii: "d")
        case let texts as [String]:
            bindings.append(texts)
            return UInt8(ascii: "T")
        case let numbers as [Int64]:
            bindings.append(numbers)
            return UInt8(ascii: "I")
        case let flags as [Bool]:
            bindings.append(flags)
            return UInt8(ascii: "B")
        default:
            // A nil Optional of any type: a NULL, whose type PostgreSQL infers. Optionals holding a
            // value were unwrapped by the casts above.
            guard Self.isNil(value) else { return nil }
            bindings.appendNull()
            return UInt8(ascii: "n")
        }
    }

    private static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }
}
