import Foundation
import Logging
import MusterMetrics
import MusterPostgres
import MusterSQLite
import MusterStore

/// Opens the store a database setting names: a `postgres://` URL, or else a SQLite file.
public enum StoreFactory {
    public static func open(_ database: String, logger: Logger, metrics: MusterMetrics = .none) async throws -> any Store {
        let lowered = database.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            let source = try await PostgresConnectionSource.open(url: database, logger: logger)
            return SQLStore(source: source, migrations: PostgresMigrations.all, logger: logger, metrics: metrics)
        }
        let path = sqlitePath(database)
        guard !path.isEmpty else { throw ConfigError("database", "is empty; give a file path or a postgres:// URL.") }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError("database", "names '\(path)', but the folder '\(directory)' does not exist.")
        }
        let source = try await SQLiteConnectionSource.open(path: path, logger: logger)
        return SQLStore(source: source, migrations: SQLiteMigrations.all, logger: logger, metrics: metrics)
    }

    /// A human description of where the data lives, without any password.
    public static func describe(_ database: String) -> String {
        if var components = URLComponents(string: database), components.scheme?.hasPrefix("postgres") == true {
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres"
        }
        return "sqlite:" + sqlitePath(database)
    }

    static func sqlitePath(_ database: String) -> String {
        if database.hasPrefix("sqlite://") { return String(database.dropFirst("sqlite://".count)) }
        if database.hasPrefix("sqlite:") { return String(database.dropFirst("sqlite:".count)) }
        return database
    }
}
