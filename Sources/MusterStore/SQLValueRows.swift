import SQLKit
import Synchronization

/// The rows of a multi-row `VALUES` list, `(?, ?, …), (?, ?, …)`, written into the serializer in
/// one step.
///
/// Built with SQLKit's string interpolation, every bind of every row is an expression of its own,
/// serialized one at a time; in ingestion batches that was a fifth of the serial writer's time.
/// Here the placeholder text for a shape (dialect, first bind, rows, width) is made once.
struct SQLValueRows: SQLExpression {
    let width: Int
    private(set) var values: [any Encodable & Sendable] = []

    /// Rows of `width` values each; `rows` is a capacity hint.
    init(width: Int, rows: Int = 0) {
        precondition(width > 0)
        self.width = width
        values.reserveCapacity(rows * width)
    }

    var count: Int { values.count / width }
    var isEmpty: Bool { values.isEmpty }
    /// Values bound in all, for statements that must stay under a limit of parameters.
    var bindCount: Int { values.count }

    /// Adds one row; it must have `width` values.
    mutating func append(_ row: any Encodable & Sendable...) {
        precondition(row.count == width, "a row of \(row.count) values in rows of \(width)")
        values += row
    }

    func serialize(to serializer: inout SQLSerializer) {
        let shape = Shape(dialect: serializer.dialect.name, first: serializer.binds.count + 1, rows: count, width: width)
        serializer.write(Self.placeholders(for: shape, using: serializer.database))
        serializer.binds += values
    }

    private struct Shape: Hashable {
        var dialect: String
        var first: Int
        var rows: Int
        var width: Int
    }

    private static let cache = Mutex<[Shape: String]>([:])

    private static func placeholders(for shape: Shape, using database: any SQLDatabase) -> String {
        if let known = cache.withLock({ $0[shape] }) { return known }
        var scratch = SQLSerializer(database: database)
        var position = shape.first
        for row in 0..<shape.rows {
            scratch.write(row == 0 ? "(" : ", (")
            for column in 0..<shape.width {
                if column > 0 { scratch.write(", ") }
                database.dialect.bindPlaceholder(at: position).serialize(to: &scratch)
                position += 1
            }
            scratch.write(")")
        }
        let text = scratch.sql
        // Shapes repeat (a statement's row count is bounded); the limit only guards against surprises.
        cache.withLock { if $0.count < 4_096 { $0[shape] = text } }
        return text
    }
}
