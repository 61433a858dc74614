import MusterStore

/// The PostgreSQL schema: BIGINT for every timestamp and counter.
public enum PostgresMigrations {
    public static let all = Schema.migrations(integer: "BIGINT")
}
