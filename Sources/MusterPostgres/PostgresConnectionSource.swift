import Foundation
import Logging
import MusterStore
import PostgresKit

/// A pool of PostgreSQL connections; several Muster processes may share the database.
public final class PostgresConnectionSource: SQLConnectionSource {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    public let dialect = StoreDialect.postgres

    /// Connects to the database a `postgres://user:password@host:port/database` URL names.
    public init(url: String, logger: Logger = Logger(label: "muster.postgres")) throws {
        let configuration = try Self.configuration(from: url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    public func shutdown() async throws {
        runner.cancel()
        await runner.value
    }

    /// Reads host, port, user, password, database and `sslmode` from a connection URL.
    static func configuration(from text: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text),
              ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
              let host = components.host, !host.isEmpty
        else {
            throw StoreError.invalid(field: "database", reason: "must be a URL like postgres://user:password@host:5432/muster.")
        }
        let database = String(components.path.drop { $0 == "/" })
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard sslmode == "disable" else {
            throw StoreError.invalid(field: "database", reason: "sslmode=\(sslmode) is not supported yet; use sslmode=disable on a trusted network.")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: .disable)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 10
        return configuration
    }
}
