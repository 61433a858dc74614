import PostgresKit

/// A bound value of a type Muster's hot statements use, with the PostgreSQL type it goes as.
/// Both ways of running a prepared statement (PostgresNIO's, and the pipelined ingest connection's
/// own messages) read values through this one classification.
enum BindValue {
    case text(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case texts([String])
    case ints([Int64])
    case bools([Bool])
    /// A nil Optional of any type: a NULL, whose type PostgreSQL infers.
    case null

    /// The value, or nil for a type not written here (the statement then goes PostgresKit's
    /// general `Encodable` way). Optionals holding a value are unwrapped by the casts.
    init?(_ value: any Encodable & Sendable) {
        switch value {
        case let text as String: self = .text(text)
        case let number as Int64: self = .int(number)
        case let number as Int: self = .int(Int64(number))
        case let flag as Bool: self = .bool(flag)
        case let number as Double: self = .double(number)
        case let texts as [String]: self = .texts(texts)
        case let numbers as [Int64]: self = .ints(numbers)
        case let flags as [Bool]: self = .bools(flags)
        default:
            guard Self.isNil(value) else { return nil }
            self = .null
        }
    }

    /// One letter for the type, for statement signatures: PostgreSQL fixes a prepared statement's
    /// parameter types when it parses it, so a text is prepared once per signature.
    var letter: UInt8 {
        switch self {
        case .text: UInt8(ascii: "t")
        case .int: UInt8(ascii: "i")
        case .bool: UInt8(ascii: "b")
        case .double: UInt8(ascii: "d")
        case .texts: UInt8(ascii: "T")
        case .ints: UInt8(ascii: "I")
        case .bools: UInt8(ascii: "B")
        case .null: UInt8(ascii: "n")
        }
    }

    /// The type's object id, 0 (unspecified) for a NULL.
    var typeOID: UInt32 {
        switch self {
        case .text: PostgresDataType.text.rawValue
        case .int: PostgresDataType.int8.rawValue
        case .bool: PostgresDataType.bool.rawValue
        case .double: PostgresDataType.float8.rawValue
        case .texts: PostgresDataType.textArray.rawValue
        case .ints: PostgresDataType.int8Array.rawValue
        case .bools: PostgresDataType.boolArray.rawValue
        case .null: 0
        }
    }

    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .text(let value): bindings.append(value)
        case .int(let value): bindings.append(value)
        case .bool(let value): bindings.append(value)
        case .double(let value): bindings.append(value)
        case .texts(let value): bindings.append(value)
        case .ints(let value): bindings.append(value)
        case .bools(let value): bindings.append(value)
        case .null: bindings.appendNull()
        }
    }

    /// Writes the value as a Bind message carries it: its length, then its binary form (-1 and
    /// nothing for a NULL).
    func write(into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(Int32(-1))
        switch self {
        case .text(let value): value.encode(into: &buffer, context: .default)
        case .int(let value): value.encode(into: &buffer, context: .default)
        case .bool(let value): value.encode(into: &buffer, context: .default)
        case .double(let value): value.encode(into: &buffer, context: .default)
        case .texts(let value): value.encode(into: &buffer, context: .default)
        case .ints(let value): value.encode(into: &buffer, context: .default)
        case .bools(let value): value.encode(into: &buffer, context: .default)
        case .null: return
        }
        buffer.setInteger(Int32(buffer.writerIndex - start - 4), at: start)
    }

    private static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }
}
