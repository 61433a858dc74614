import Foundation
import MusterStore
import NIOSSL
import PostgresKit

/// A PostgreSQL connection URL, read once: where the server listens, who connects to which
/// database, and Muster's own options. As with libpq, `host=/a/folder` in the query names the
/// folder of the server's Unix socket (`.s.PGSQL.<port>` in it), and then the URL needs no host.
struct PostgresURL {
    enum Endpoint {
        case tcp(host: String, port: Int)
        case socket(path: String)
    }

    var endpoint: Endpoint
    var username: String
    var password: String?
    var database: String?
    /// Whether hot statements may be kept prepared: `prepared_statements=on` (the default) or `off`,
    /// for poolers that cannot keep named statements (PgBouncer before 1.21 in transaction mode).
    var reusesStatements: Bool
    /// How long one transaction may take, from its connection to its end, before Muster closes
    /// the connection: `transaction_timeout=<seconds>`, 30 by default.
    var transactionTimeout: Duration
    /// How single connections use TLS, from `sslmode` (and `sslrootcert`), as libpq reads them.
    var tls: PostgresConnection.Configuration.TLS
    /// The same for the pools.
    var clientTLS: PostgresClient.Configuration.TLS
    /// The `sslmode` asked for, for messages.
    var sslMode: String

    /// Reads host (or socket folder), port, user, password, database, `sslmode`,
    /// `prepared_statements` and `transaction_timeout`; the error names what is wrong.
    init(parsing text: String) throws {
        let usage =
            "must be a URL like postgres://user:password@host:5432/muster, or postgres://user@/muster?host=/run/postgresql for a Unix socket."
        guard let components = URLComponents(string: text),
            ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? "")
        else {
            throw StoreError.invalid(field: "database", reason: usage)
        }
        func query(_ name: String) -> String? { components.queryItems?.first { $0.name == name }?.value }
        let port = components.port ?? 5432
        if let folder = query("host") {
            guard folder.hasPrefix("/") else {
                throw StoreError.invalid(
                    field: "database", reason: "host=\(folder) must be the absolute path of the folder holding the server's Unix socket.")
            }
            endpoint = .socket(path: "\(folder)/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw StoreError.invalid(field: "database", reason: usage)
        }
        sslMode = query("sslmode") ?? "disable"
        // A Unix socket never leaves the machine: libpq uses no TLS on one, whatever sslmode says.
        if case .socket = endpoint {
            (tls, clientTLS) = (.disable, .disable)
        } else if let configuration = try Self.tls(mode: sslMode, rootCertificate: query("sslrootcert")) {
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                throw StoreError.invalid(
                    field: "database", reason: "sslrootcert=\(query("sslrootcert") ?? "system") could not be used: \(error)")
            }
            (tls, clientTLS) =
                sslMode == "prefer" ? (.prefer(context), .prefer(configuration)) : (.require(context), .require(configuration))
        } else {
            (tls, clientTLS) = (.disable, .disable)
        }
        let prepared = query("prepared_statements") ?? "on"
        switch prepared.lowercased() {
        case "on", "true": reusesStatements = true
        case "off", "false": reusesStatements = false
        default: throw StoreError.invalid(field: "database", reason: "prepared_statements=\(prepared) must be on or off.")
        }
        let timeout = query("transaction_timeout") ?? "30"
        guard let seconds = Int(timeout), (5...3_600).contains(seconds) else {
            throw StoreError.invalid(
                field: "database",
                reason: "transaction_timeout=\(timeout) must be a whole number of seconds from 5 (the wait for a connection) to 3600.")
        }
        transactionTimeout = .seconds(seconds)
        username = components.user ?? "postgres"
        password = components.password
        let path = String(components.path.drop { $0 == "/" })
        database = path.isEmpty ? nil : path
    }

    /// `disable`; `prefer` and `require` encrypt without checking the server's certificate;
    /// `verify-ca` checks it was signed by `sslrootcert` (a PEM file, or `system` for the system's
    /// authorities, the default); `verify-full` also checks it names the host connected to.
    static func tls(mode: String, rootCertificate: String?) throws -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case "disable": return nil
        case "prefer", "require": configuration.certificateVerification = .none
        case "verify-ca": configuration.certificateVerification = .noHostnameVerification
        case "verify-full": configuration.certificateVerification = .fullVerification
        default:
            throw StoreError.invalid(
                field: "database", reason: "sslmode=\(mode) must be disable, prefer, require, verify-ca or verify-full.")
        }
        if let rootCertificate, rootCertificate != "system" {
            guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                throw StoreError.invalid(field: "database", reason: "sslrootcert=\(rootCertificate) names a file that cannot be read.")
            }
            configuration.trustRoots = .file(rootCertificate)
        }
        return configuration
    }

    /// host:port/database, or the socket's path/database, for messages; never the password.
    var target: String {
        switch endpoint {
        case .tcp(let host, let port): "\(host):\(port)/\(database ?? "")"
        case .socket(let path): "\(path)/\(database ?? "")"
        }
    }

    /// The settings of Muster's pools (up to ten connections, none kept idle).
    var clientConfiguration: PostgresClient.Configuration {
        var configuration =
            switch endpoint {
            case .tcp(let host, let port):
                PostgresClient.Configuration(
                    host: host, port: port, username: username, password: password, database: database, tls: clientTLS)
            case .socket(let path):
                PostgresClient.Configuration(unixSocketPath: path, username: username, password: password, database: database)
            }
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 10
        return configuration
    }

    /// The settings of one connection outside the pools.
    var connectionConfiguration: PostgresConnection.Configuration {
        var configuration =
            switch endpoint {
            case .tcp(let host, let port):
                PostgresConnection.Configuration(
                    host: host, port: port, username: username, password: password, database: database, tls: tls)
            case .socket(let path):
                PostgresConnection.Configuration(unixSocketPath: path, username: username, password: password, database: database)
            }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
