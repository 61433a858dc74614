import MusterStore

/// The SQLite schema: SQLite's INTEGER is 64 bits wide.
public enum SQLiteMigrations {
    public static let all = Schema.migrations(integer: "INTEGER")
}
