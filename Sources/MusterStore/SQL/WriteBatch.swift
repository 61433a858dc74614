import SQLKit

/// The write statements of one transaction, gathered and sent together when it ends.
///
/// On PostgreSQL every statement is a round trip, and a transaction that waits for ten of them
/// spends more on waiting and waking than on the work. There the gathered statements travel as
/// few statements as possible, each one a data-modifying `WITH` part of a single statement. All
/// parts of one statement see the database as it was before it, so a statement that reads a table
/// an earlier part writes (a timeline insert numbering entries after the last one) starts a new
/// statement. SQLite runs in process, and runs them one by one.
final class WriteBatch {
    private struct Statement {
        var query: SQLQueryString
        var binds: Int
    }

    let dialect: StoreDialect
    /// Whether statements are combined into one (PostgreSQL) or run one by one (SQLite).
    var combines: Bool { dialect.combinesWrites }
    private var groups: [[Statement]] = []
    private var groupBinds = 0
    private var groupWrites: Set<String> = []

    /// Binds in one combined statement: well under PostgreSQL's limit of 65,535 parameters.
    static let maxBinds = 30_000

    init(for dialect: StoreDialect) {
        self.dialect = dialect
    }

    /// Queues a statement holding `binds` bound values that writes `table` and, if `reads` is
    /// set, reads that table and must see what the statements before it wrote.
    func add(_ query: SQLQueryString, binds: Int, writes table: String, reads: String? = nil) {
        let fits = !groups.isEmpty && combines && groupBinds + binds <= Self.maxBinds
        if !fits || reads.map(groupWrites.contains) == true {
            groups.append([])
            groupBinds = 0
            groupWrites = []
        }
        groups[groups.count - 1].append(Statement(query: query, binds: binds))
        groupBinds += binds
        groupWrites.insert(table)
    }

    /// Runs everything queued, in order, and empties the batch. With `lastAtCommit`, the last
    /// statement goes with the transaction's commit where `db` can send it so: only for the
    /// transaction's final writes, since nothing after them would see it.
    func run(on db: any SQLDatabase, lastAtCommit: Bool = false) async throws {
        let pending = groups
        groups = []
        groupBinds = 0
        groupWrites = []
        for (number, group) in pending.enumerated() {
            let query = Self.combine(group)
            if lastAtCommit, number == pending.count - 1, let db = db as? any WritingAtCommit {
                try db.writeAtCommit(query)
            } else {
                try await db.raw(query).run()
            }
        }
    }

    /// A group's statements as one: the statement itself when alone, else a `WITH` of each.
    private static func combine(_ group: [Statement]) -> SQLQueryString {
        guard group.count > 1 else { return group[0].query }
        var combined: SQLQueryString = "WITH "
        for (index, statement) in group.enumerated() {
            combined.appendLiteral(index == 0 ? "" : ", ")
            combined.appendInterpolation(unsafeRaw: "w\(index) AS (")
            combined.appendInterpolation(statement.query)
            combined.appendLiteral(")")
        }
        combined.appendLiteral(" SELECT 1 AS done")
        return combined
    }
}
