import SQLKit
import Synchronization

/// The rows of a multi-row statement, as a row source whose columns are named column1, column2, …:
/// a `VALUES (?, ?, …), (?, ?, …)` list on SQLite, and on PostgreSQL a
/// `SELECT … FROM unnest($1::text[], $2::int8[], …)` with one array bind per column.
///
/// Built with SQLKit's string interpolation, every bind of every row is an expression of its own,
/// serialized one at a time; in ingestion batches that was a fifth of the serial writer's time.
/// Here the placeholder text for a shape is made once. On PostgreSQL a statement of thousands of
/// binds also cost more to parse and plan (9 ms for 3,200 alerts) than to run, and each bind went
/// through PostgresKit's `Encodable` path; as arrays the statement has a bind per column, and its
/// text no longer depends on the number of rows.
///
/// Usable in `INSERT INTO t (…) \(rows)`, `WITH v AS (\(rows))` and `FROM (\(rows)) AS v`.
struct SQLValueRows: SQLExpression {
    let width: Int
    /// Whether the rows travel as one array per column: on PostgreSQL, while every value is of a
    /// type arrays are made of here, the same in each row. Decided as rows are added, so that
    /// `bindCount` always describes the statement `serialize` writes.
    private(set) var asArrays: Bool
    private(set) var values: [any Encodable & Sendable] = []
    /// The first row's value types, which every later row must repeat to stay in arrays.
    private var columnTypes: [ObjectIdentifier] = []

    /// Rows of `width` values each, for `dialect`; `rows` is a capacity hint.
    init(width: Int, rows: Int = 0, for dialect: StoreDialect) {
        precondition(width > 0)
        self.width = width
        asArrays = dialect.bindsRowsAsArrays
        values.reserveCapacity(rows * width)
    }

    /// Rows one statement should carry: as arrays its cost hardly grows with its rows, so only its
    /// size is bounded; as a `VALUES` list, where each bind is parsed and planned, `listRows`.
    static func rowsPerStatement(listRows: Int, for dialect: StoreDialect) -> Int {
        dialect.bindsRowsAsArrays ? 5_000 : listRows
    }

    var count: Int { values.count / width }
    var isEmpty: Bool { values.isEmpty }
    /// Values bound in all, for statements that must stay under a limit of parameters: as arrays,
    /// at most two per column (the values and, for a column with NULLs, which ones are NULL).
    var bindCount: Int { asArrays ? 2 * width : values.count }

    /// Adds one row; it must have `width` values.
    mutating func append(_ row: any Encodable & Sendable...) {
        precondition(row.count == width, "a row of \(row.count) values in rows of \(width)")
        if asArrays {
            if columnTypes.isEmpty {
                columnTypes = row.map { ObjectIdentifier(type(of: $0)) }
                asArrays = columnTypes.allSatisfy(Self.arrayTypes.contains)
            } else if zip(row, columnTypes).contains(where: { ObjectIdentifier(type(of: $0)) != $1 }) {
                asArrays = false
            }
        }
        values += row
    }

    func serialize(to serializer: inout SQLSerializer) {
        if asArrays, !values.isEmpty {
            let columns = arrayColumns()
            let shape = Shape(
                dialect: serializer.dialect.name, kind: .arrays(columns.map(\.type)), first: serializer.binds.count + 1, rows: 0,
                width: width)
            serializer.write(Self.text(for: shape, using: serializer.database))
            for column in columns {
                serializer.binds.append(column.values)
                if let nulls = column.nulls { serializer.binds.append(nulls) }
            }
            return
        }
        let shape = Shape(dialect: serializer.dialect.name, kind: .values, first: serializer.binds.count + 1, rows: count, width: width)
        serializer.write(Self.text(for: shape, using: serializer.database))
        serializer.binds += values
    }

    // MARK: - Columns as arrays

    /// A column's PostgreSQL array type, and whether it holds NULLs (sent as a second array of flags).
    struct ColumnType: Hashable {
        var name: String
        var nullable: Bool
    }

    private struct ArrayColumn {
        var type: ColumnType
        var values: any Encodable & Sendable
        var nulls: [Bool]?
    }

    /// The value types sent as arrays; a row holding any other goes in a `VALUES` list, which is
    /// always right.
    private static let arrayTypes: Set<ObjectIdentifier> = [
        ObjectIdentifier(String.self), ObjectIdentifier(String?.self),
        ObjectIdentifier(Int.self), ObjectIdentifier(Int64.self), ObjectIdentifier(Int64?.self),
    ]

    /// The rows transposed into typed arrays; `append` has checked every value's type.
    private func arrayColumns() -> [ArrayColumn] {
        (0..<width).map { column in
            let cells = stride(from: column, to: values.count, by: width).lazy.map { self.values[$0] }
            switch columnTypes[column] {
            case ObjectIdentifier(String.self):
                return ArrayColumn(type: ColumnType(name: "text", nullable: false), values: Array(cells.map { $0 as! String }), nulls: nil)
            case ObjectIdentifier(String?.self):
                let texts = Array(cells.map { $0 as! String? })
                return ArrayColumn(
                    type: ColumnType(name: "text", nullable: true), values: texts.map { $0 ?? "" }, nulls: texts.map { $0 == nil })
            case ObjectIdentifier(Int.self):
                return ArrayColumn(
                    type: ColumnType(name: "int8", nullable: false), values: Array(cells.map { Int64($0 as! Int) }), nulls: nil)
            case ObjectIdentifier(Int64.self):
                return ArrayColumn(type: ColumnType(name: "int8", nullable: false), values: Array(cells.map { $0 as! Int64 }), nulls: nil)
            default:
                let numbers = Array(cells.map { $0 as! Int64? })
                return ArrayColumn(
                    type: ColumnType(name: "int8", nullable: true), values: numbers.map { $0 ?? 0 }, nulls: numbers.map { $0 == nil })
            }
        }
    }

    // MARK: - Text

    private struct Shape: Hashable {
        enum Kind: Hashable {
            case values
            case arrays([ColumnType])
        }
        var dialect: String
        var kind: Kind
        var first: Int
        var rows: Int
        var width: Int
    }

    private static let cache = Mutex<[Shape: String]>([:])

    private static func text(for shape: Shape, using database: any SQLDatabase) -> String {
        if let known = cache.withLock({ $0[shape] }) { return known }
        var scratch = SQLSerializer(database: database)
        var position = shape.first
        func placeholder() {
            database.dialect.bindPlaceholder(at: position).serialize(to: &scratch)
            position += 1
        }
        switch shape.kind {
        case .values:
            scratch.write("VALUES ")
            for row in 0..<shape.rows {
                scratch.write(row == 0 ? "(" : ", (")
                for column in 0..<shape.width {
                    if column > 0 { scratch.write(", ") }
                    placeholder()
                }
                scratch.write(")")
            }
        case .arrays(let types):
            var outputs: [String] = []
            var names: [String] = []
            scratch.write("SELECT ")
            for (index, type) in types.enumerated() {
                let name = "column\(index + 1)"
                outputs.append(type.nullable ? "CASE WHEN u.n\(index + 1) THEN NULL ELSE u.\(name) END AS \(name)" : "u.\(name)")
                names.append(name)
                if type.nullable { names.append("n\(index + 1)") }
            }
            scratch.write(outputs.joined(separator: ", "))
            scratch.write(" FROM unnest(")
            for (index, type) in types.enumerated() {
                if index > 0 { scratch.write(", ") }
                placeholder()
                scratch.write("::\(type.name)[]")
                if type.nullable {
                    scratch.write(", ")
                    placeholder()
                    scratch.write("::bool[]")
                }
            }
            scratch.write(") AS u(\(names.joined(separator: ", ")))")
        }
        let text = scratch.sql
        // Shapes repeat (a statement's row count is bounded); the limit only guards against surprises.
        cache.withLock { if $0.count < 4_096 { $0[shape] = text } }
        return text
    }
}
