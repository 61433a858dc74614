import Foundation
import MusterCore

/// Finds the members of a JSON request body that the request type never reads: a typo such as
/// `servces` would otherwise be dropped in silence and the request half-applied.
///
/// It replays `T.init(from:)` over the parsed body with a decoder that notes which keys each
/// object was asked for (the synthesized initializers ask for every property, present or not),
/// so the known names come from the type itself and cannot drift from it.
enum UnknownFieldAudit {
    /// A member no reader asked for, with the path of the object that holds it.
    struct Finding: Equatable {
        var path: String
        var known: [String]

        /// The closest name the type does read, when the unknown one looks like a typo of it.
        var suggestion: String? {
            let name = path.split(separator: ".").last.map(String.init) ?? path
            return ClosestName.suggestion(for: name, among: known)
        }
    }

    /// The first unknown member in document order, if any.
    static func firstUnknown<T: Decodable>(in value: JSONValue, as type: T.Type) -> Finding? {
        let log = AuditLog()
        // The body was already decoded once for real; a failure here only ends the walk early.
        _ = try? T(from: AuditDecoder(value: value, codingPath: [], log: log))
        for object in log.objects {
            for key in object.keys where !object.asked.contains(key) {
                let path = object.path.isEmpty ? key : "\(object.path).\(key)"
                return Finding(path: path, known: object.asked.sorted())
            }
        }
        return nil
    }

    /// A 400 problem for a finding: names the field and, where one is close, the field meant.
    static func problem(for finding: Finding) -> Problem {
        var detail = "'\(finding.path)' is not a field of this request"
        if let suggestion = finding.suggestion {
            detail += "; did you mean '\(suggestion)'?"
        } else if !finding.known.isEmpty {
            detail += "; its fields are: \(finding.known.joined(separator: ", "))."
        } else {
            detail += "."
        }
        return .invalid(finding.path, detail)
    }
}

/// The objects met while decoding, in the order they were first read.
private final class AuditLog {
    final class Object {
        let path: String
        let keys: [String]
        var asked: Set<String> = []
        init(path: String, keys: [String]) {
            self.path = path
            self.keys = keys
        }
    }

    private(set) var objects: [Object] = []
    private var byPath: [String: Object] = [:]

    /// The record of the object at `path`; several containers over one object share it.
    func object(at path: String, keys: [String]) -> Object {
        if let known = byPath[path] { return known }
        let object = Object(path: path, keys: keys)
        byPath[path] = object
        objects.append(object)
        return object
    }
}

private func dotted(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        .replacingOccurrences(of: ".[", with: "[")
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct AuditDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let log: AuditLog
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "not an object"))
        }
        var latest: [String: JSONValue] = [:]
        var order: [String] = []
        for (key, member) in members {
            if latest.updateValue(member, forKey: key) == nil { order.append(key) }
        }
        let record = log.object(at: dotted(codingPath), keys: order)
        return KeyedDecodingContainer(AuditKeyedContainer<Key>(members: latest, record: record, codingPath: codingPath, log: log))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "not an array"))
        }
        return AuditUnkeyedContainer(items: items, codingPath: codingPath, log: log)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        AuditSingleValue(value: value, codingPath: codingPath, log: log)
    }

    /// Decodes a nested value; dates and URLs are strings on the wire, as `APICoding` reads them.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at path: [any CodingKey], log: AuditLog) throws -> T {
        if T.self == Date.self || T.self == URL.self || T.self == Data.self || T.self == Decimal.self {
            return try APICoding.decoder.decode(T.self, from: Data(value.text.utf8))
        }
        return try T(from: AuditDecoder(value: value, codingPath: path, log: log))
    }
}

private struct AuditKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let record: AuditLog.Object
    let codingPath: [any CodingKey]
    let log: AuditLog

    var allKeys: [Key] { record.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        record.asked.insert(key.stringValue)
        return members[key.stringValue] != nil
    }

    private func member(_ key: Key) throws -> JSONValue {
        record.asked.insert(key.stringValue)
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try member(key) == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try AuditDecoder.decode(type, from: try member(key), at: codingPath + [key], log: log)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        record.asked.insert(key.stringValue)
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try AuditDecoder.decode(type, from: value, at: codingPath + [key], log: log)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try AuditDecoder(value: try member(key), codingPath: codingPath + [key], log: log).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try AuditDecoder(value: try member(key), codingPath: codingPath + [key], log: log).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        AuditDecoder(value: .object(members.map { ($0.key, $0.value) }), codingPath: codingPath, log: log)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        AuditDecoder(value: try member(key), codingPath: codingPath + [key], log: log)
    }
}

private struct AuditUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    let log: AuditLog
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey], log: AuditLog) {
        self.items = items
        self.codingPath = codingPath
        self.log = log
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "at end"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next()
        return try AuditDecoder.decode(type, from: value, at: path, log: log)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next()
        return try AuditDecoder(value: value, codingPath: path, log: log).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next()
        return try AuditDecoder(value: value, codingPath: path, log: log).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next()
        return AuditDecoder(value: value, codingPath: path, log: log)
    }
}

/// Scalars are decoded by `JSONDecoder` from the value's own text, so they read exactly as the
/// real decoding read them.
private struct AuditSingleValue: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let log: AuditLog

    func decodeNil() -> Bool { value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch value {
        case .object, .array:
            if isScalar(T.self) { fallthrough }
            return try AuditDecoder.decode(type, from: value, at: codingPath, log: log)
        default:
            return try APICoding.decoder.decode(T.self, from: Data(value.text.utf8))
        }
    }

    /// Scalars never read containers: decoding one from an object must fail, not recurse.
    private func isScalar(_ type: Any.Type) -> Bool {
        type is String.Type || type is Bool.Type || type is any BinaryInteger.Type || type is any BinaryFloatingPoint.Type
    }
}
