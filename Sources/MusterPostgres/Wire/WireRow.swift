import Foundation
import SQLKit

/// The column names of one statement's rows, with each name's place.
final class WireColumns: Sendable {
    let names: [String]
    private let places: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var places: [String: Int] = [:]
        for (place, name) in names.enumerated() where places[name] == nil { places[name] = place }
        self.places = places
    }

    func place(of name: String) -> Int? { places[name] }
}

/// A row as the pipelined connection reads it: each value in PostgreSQL's text form.
struct WireRow: SQLRow {
    let columns: WireColumns
    let values: [String?]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.place(of: column) != nil }

    func decodeNil(column: String) throws -> Bool {
        try value(column) == nil
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let text = try value(column)
        guard let decodable = D.self as? any WireDecodable.Type else {
            throw DecodingError.typeMismatch(
                D.self, .init(codingPath: [], debugDescription: "column \(column): the pipelined connection reads no \(D.self)"))
        }
        guard let value = decodable.init(wireText: text) as? D else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [], debugDescription: "column \(column): \(text.map { "\"\($0.prefix(40))\"" } ?? "NULL") is no \(D.self)"))
        }
        return value
    }

    private func value(_ column: String) throws -> String? {
        guard let place = columns.place(of: column) else {
            throw DecodingError.keyNotFound(SQLCodingKey(column), .init(codingPath: [], debugDescription: "no column \(column)"))
        }
        return values[place]
    }
}

private struct SQLCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A type read from PostgreSQL's text form of a value; nil text is SQL's NULL.
protocol WireDecodable {
    init?(wireText: String?)
}

/// Types whose text form PostgreSQL's is: text, integers and floating point numbers.
extension WireDecodable where Self: LosslessStringConvertible {
    init?(wireText: String?) {
        guard let wireText, let value = Self(wireText) else { return nil }
        self = value
    }
}

extension String: WireDecodable {}
extension Int: WireDecodable {}
extension Int64: WireDecodable {}
extension Int32: WireDecodable {}
extension Double: WireDecodable {}

extension Bool: WireDecodable {
    init?(wireText: String?) {
        switch wireText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: WireDecodable {
    init?(wireText: String?) {
        guard let wireText, let value = UUID(uuidString: wireText) else { return nil }
        self = value
    }
}

extension Optional: WireDecodable where Wrapped: WireDecodable {
    init?(wireText: String?) {
        guard let wireText else {
            self = .none
            return
        }
        guard let value = Wrapped(wireText: wireText) else { return nil }
        self = .some(value)
    }
}
