/// The few places where SQLite and PostgreSQL need different SQL.
public struct StoreDialect: Sendable {
    public var name: String
    /// Starts a write transaction; SQLite takes the write lock at once so two writers never deadlock.
    public var beginTransaction: String
    /// Appended to a SELECT that reads a row the transaction will update.
    public var lockRowSuffix: String
    /// Run inside the migration transaction so only one process migrates at a time.
    public var migrationLock: String?
    /// Appended to a SELECT that claims engine work, so two processes never take the same rows.
    public var claimSuffix: String
    /// Whether a transaction's writes are sent as one statement (see `WriteBatch`): worth it where
    /// each statement is a round trip to a server.
    public var combinesWrites: Bool
    /// Whether an `INSERT … SELECT` that reads its own table computes every row before writing
    /// any (SQLite), rather than writing while it reads (PostgreSQL).
    public var insertSelectReadsFirst: Bool
    /// Whether the rows of a multi-row statement are bound as one array per column (`SQLValueRows`):
    /// worth it where a statement of many binds costs more to parse and plan than to run.
    public var bindsRowsAsArrays: Bool
    /// Ends a subquery so that the planner neither merges it into the query around it nor pushes
    /// that query's conditions into it.
    public var subqueryFence: String

    public init(
        name: String, beginTransaction: String, lockRowSuffix: String, migrationLock: String?, claimSuffix: String,
        combinesWrites: Bool, insertSelectReadsFirst: Bool, bindsRowsAsArrays: Bool, subqueryFence: String
    ) {
        self.name = name
        self.beginTransaction = beginTransaction
        self.lockRowSuffix = lockRowSuffix
        self.migrationLock = migrationLock
        self.claimSuffix = claimSuffix
        self.combinesWrites = combinesWrites
        self.insertSelectReadsFirst = insertSelectReadsFirst
        self.bindsRowsAsArrays = bindsRowsAsArrays
        self.subqueryFence = subqueryFence
    }

    // SQLite has one writer at a time: BEGIN IMMEDIATE already makes a claim exclusive.
    public static let sqlite = StoreDialect(
        name: "sqlite", beginTransaction: "BEGIN IMMEDIATE", lockRowSuffix: "", migrationLock: nil, claimSuffix: "",
        combinesWrites: false, insertSelectReadsFirst: true, bindsRowsAsArrays: false, subqueryFence: " LIMIT -1")

    public static let postgres = StoreDialect(
        name: "postgres", beginTransaction: "BEGIN", lockRowSuffix: " FOR UPDATE",
        migrationLock: "SELECT pg_advisory_xact_lock(7482001)", claimSuffix: " FOR UPDATE SKIP LOCKED",
        combinesWrites: true, insertSelectReadsFirst: false, bindsRowsAsArrays: true, subqueryFence: " OFFSET 0")
}
