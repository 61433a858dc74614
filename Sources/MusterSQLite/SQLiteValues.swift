import SQLKit
import SQLiteKit
import VaporCSQLite

/// The column names of one statement's result, shared by all its rows.
final class SQLiteColumns: Sendable {
    let names: [String]

    init(_ statement: OpaquePointer) {
        names = (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
    }

    func index(of column: String) -> Int? {
        names.firstIndex(of: column)
    }
}

/// One result row, read as SQLKit reads rows; text and integers skip the generic decoder.
struct SQLiteValues: SQLRow, Sendable {
    let columns: SQLiteColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool {
        columns.index(of: column) != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.index(of: column) else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(stringValue: column), .init(codingPath: [], debugDescription: "The result has no column '\(column)'."))
        }
        switch values[index] {
        case .text(let text) where type == String.self:
            return text as! D
        case .integer(let number) where type == Int.self:
            return number as! D
        // Reports read many optional times and texts; these skip the generic decoder.
        case .integer(let number) where type == Int64.self:
            return Int64(number) as! D
        case .integer(let number) where type == Int64?.self:
            return Int64?(Int64(number)) as! D
        case .null where type == Int64?.self:
            return Int64?.none as! D
        case .text(let text) where type == String?.self:
            return String?(text) as! D
        case .null where type == String?.self:
            return String?.none as! D
        case let value:
            return try SQLiteDataDecoder().decode(D.self, from: value)
        }
    }
}

private struct SQLiteColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
