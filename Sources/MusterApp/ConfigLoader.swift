import Foundation
import Logging
import MusterCore
import MusterEngine

/// Resolves the configuration: flags, then `MUSTER_*` environment variables, then the YAML file, then defaults.
public struct ConfigLoader {
    /// Values given as command-line flags; nil means not given.
    public struct Flags: Sendable {
        public var config: String?
        public var host: String?
        public var port: Int?
        public var database: String?
        public var logLevel: String?

        public init(config: String? = nil, host: String? = nil, port: Int? = nil, database: String? = nil, logLevel: String? = nil) {
            self.config = config
            self.host = host
            self.port = port
            self.database = database
            self.logLevel = logLevel
        }
    }

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func load(_ flags: Flags) throws -> MusterConfig {
        var config = MusterConfig()
        if let path = flags.config ?? environment["MUSTER_CONFIG"] {
            try apply(ConfigFile.load(path: path), to: &config)
        }
        if let host = flags.host ?? environment["MUSTER_HOST"] { config.host = host }
        if let port = try flags.port ?? environment["MUSTER_PORT"].map({ try Self.port($0, key: "MUSTER_PORT") }) {
            config.port = try Self.port(String(port), key: "port")
        }
        if let database = flags.database ?? environment["MUSTER_DATABASE"] { config.database = database }
        if let level = flags.logLevel ?? environment["MUSTER_LOG_LEVEL"] { config.logLevel = try Self.logLevel(level) }
        if let window = environment["MUSTER_REOPEN_WINDOW"] {
            config.reopenWindowSeconds = try Self.duration(window, key: "MUSTER_REOPEN_WINDOW")
        }
        if let rate = environment["MUSTER_PAGE_RATE"] { config.pagesPerMinute = try Self.rate(rate, key: "MUSTER_PAGE_RATE") }
        if let smtp = environment["MUSTER_SMTP_URL"] { config.smtpURL = try Self.smtp(smtp, key: "MUSTER_SMTP_URL") }
        if let key = environment["MUSTER_SIGNING_KEY"] { config.signingKey = try Self.signingKey(key, key: "MUSTER_SIGNING_KEY") }
        if let url = environment["MUSTER_PUBLIC_URL"] { config.publicURL = try Self.url(url, key: "MUSTER_PUBLIC_URL") }
        if let count = environment["MUSTER_MAX_CONNECTIONS_PER_CLIENT"] {
            config.maxConnectionsPerClient = try Self.connections(count, key: "MUSTER_MAX_CONNECTIONS_PER_CLIENT")
        }
        if let count = environment["MUSTER_MAX_CONNECTIONS"] {
            config.maxConnections = try Self.connections(count, key: "MUSTER_MAX_CONNECTIONS")
        }
        if let timeout = environment["MUSTER_HEAD_TIMEOUT"] {
            config.headTimeoutSeconds = try Self.headTimeout(timeout, key: "MUSTER_HEAD_TIMEOUT")
        }
        if let rate = environment["MUSTER_MIN_BODY_RATE"] { config.minimumBodyRate = try Self.bodyRate(rate, key: "MUSTER_MIN_BODY_RATE") }
        if let cert = environment["MUSTER_TLS_CERT_FILE"] { config.tlsCertFile = cert }
        if let key = environment["MUSTER_TLS_KEY_FILE"] { config.tlsKeyFile = key }
        if (config.tlsCertFile == nil) != (config.tlsKeyFile == nil) {
            throw ConfigError("tls", "needs both cert_file and key_file (MUSTER_TLS_CERT_FILE and MUSTER_TLS_KEY_FILE), or neither.")
        }
        if let format = environment["MUSTER_LOG_FORMAT"] { config.logFormat = try Self.logFormat(format, key: "MUSTER_LOG_FORMAT") }
        if let access = environment["MUSTER_ACCESS_LOG"] {
            guard let value = ["true": true, "false": false, "1": true, "0": false][access.lowercased()] else {
                throw ConfigError("MUSTER_ACCESS_LOG", "must be true or false; got '\(access)'.")
            }
            config.accessLog = value
        }
        if let token = environment["MUSTER_METRICS_TOKEN"] {
            config.metricsToken = try Self.metricsToken(token, key: "MUSTER_METRICS_TOKEN")
        }
        if let rate = environment["MUSTER_INGEST_RATE"] { config.ingestRatePerSecond = try Self.rate(rate, key: "MUSTER_INGEST_RATE") }
        if let preset = environment["MUSTER_SEVERITY_PRESET"] {
            guard let scheme = SeverityScheme.preset(named: preset) else {
                throw ConfigError("MUSTER_SEVERITY_PRESET", "is '\(preset)'; use p1-p4, sev1-sev4 or p0-p3.")
            }
            config.scheme = scheme
        }
        return config
    }

    private func apply(_ file: ConfigFile, to config: inout MusterConfig) throws {
        if let host = file.listen?.host { config.host = host }
        if let port = file.listen?.port { config.port = try Self.port(String(port), key: "listen.port") }
        if let count = file.listen?.maxConnectionsPerClient {
            config.maxConnectionsPerClient = try Self.connections(String(count), key: "listen.max_connections_per_client")
        }
        if let count = file.listen?.maxConnections {
            config.maxConnections = try Self.connections(String(count), key: "listen.max_connections")
        }
        if let timeout = file.listen?.headTimeout {
            config.headTimeoutSeconds = try Self.headTimeout(timeout, key: "listen.head_timeout")
        }
        if let rate = file.listen?.minBodyRate { config.minimumBodyRate = try Self.bodyRate(String(rate), key: "listen.min_body_rate") }
        if let database = file.database { config.database = database }
        if let level = file.logLevel { config.logLevel = try Self.logLevel(level) }
        if let cert = file.tls?.certFile { config.tlsCertFile = cert }
        if let key = file.tls?.keyFile { config.tlsKeyFile = key }
        if let format = file.logFormat { config.logFormat = try Self.logFormat(format, key: "log_format") }
        if let access = file.accessLog { config.accessLog = access }
        if let window = file.incidents?.reopenWindow {
            config.reopenWindowSeconds = try Self.duration(window, key: "incidents.reopen_window")
        }
        if let bytes = file.incidents?.maxBodyBytes {
            guard (1_024...(64 << 20)).contains(bytes) else {
                throw ConfigError("incidents.max_body_bytes", "must be between 1024 and 67108864.")
            }
            config.maxBodyBytes = bytes
        }
        if let scheme = try file.scheme() { config.scheme = scheme }
        if let rate = file.pageRate { config.pagesPerMinute = try Self.rate(String(rate), key: "page_rate") }
        if let smtp = file.smtpURL { config.smtpURL = try Self.smtp(smtp, key: "smtp_url") }
        if let key = file.signingKey { config.signingKey = try Self.signingKey(key, key: "signing_key") }
        if let token = file.metricsToken { config.metricsToken = try Self.metricsToken(token, key: "metrics_token") }
        if let url = file.publicURL { config.publicURL = try Self.url(url, key: "public_url") }
        if let map = try file.severityMap(scheme: config.scheme) { config.alertSeverityMap = map }
        if let rate = file.ingest?.rateLimit { config.ingestRatePerSecond = try Self.rate(String(rate), key: "ingest.rate_limit") }
        if let bytes = file.ingest?.maxBodyBytes {
            guard (1_024...(256 << 20)).contains(bytes) else {
                throw ConfigError("ingest.max_body_bytes", "must be between 1024 and 268435456.")
            }
            config.maxIngestBodyBytes = bytes
        }
    }

    static func smtp(_ text: String, key: String) throws -> String {
        guard SMTPSettings.parse(text) != nil else {
            throw ConfigError(key, "must look like smtp://user:password@mail.example.com:587?from=muster@example.com&starttls=required.")
        }
        return text
    }

    static func signingKey(_ text: String, key: String) throws -> String {
        guard text.utf8.count >= 32 else { throw ConfigError(key, "must be at least 32 characters long.") }
        return text
    }

    static func metricsToken(_ text: String, key: String) throws -> String {
        guard text.utf8.count >= 16, !text.contains(where: { $0.isWhitespace }) else {
            throw ConfigError(key, "must be at least 16 characters, without spaces.")
        }
        return text
    }

    static func url(_ text: String, key: String) throws -> String {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigError(key, "must be an http:// or https:// URL; got '\(text)'.")
        }
        return text
    }

    static func rate(_ text: String, key: String) throws -> Double {
        guard let rate = Double(text), rate >= 0, rate.isFinite else {
            throw ConfigError(key, "must be a number of events a second, 0 for no limit; got '\(text)'.")
        }
        return rate
    }

    static func connections(_ text: String, key: String) throws -> Int {
        guard let count = Int(text), (0...1_000_000).contains(count) else {
            throw ConfigError(key, "must be a number of connections from 0 (no limit) to 1000000; got '\(text)'.")
        }
        return count
    }

    static func port(_ text: String, key: String) throws -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ConfigError(key, "must be a port number from 0 to 65535; got '\(text)'.")
        }
        return port
    }

    static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigError("log_level", "must be one of trace, debug, info, notice, warning, error, critical; got '\(text)'.")
        }
        return level
    }

    static func headTimeout(_ text: String, key: String) throws -> Int {
        let seconds = try duration(text, key: key)
        guard seconds <= 300 else { throw ConfigError(key, "must be at most 5m; got '\(text)'.") }
        return seconds
    }

    static func bodyRate(_ text: String, key: String) throws -> Int {
        guard let rate = Int(text), (0...100_000_000).contains(rate) else {
            throw ConfigError(key, "must be a number of bytes a second, 0 for no minimum; got '\(text)'.")
        }
        return rate
    }

    static func logFormat(_ text: String, key: String) throws -> LogFormat {
        guard let format = LogFormat(rawValue: text.lowercased()) else {
            throw ConfigError(key, "must be text or json; got '\(text)'.")
        }
        return format
    }

    static func duration(_ text: String, key: String) throws -> Int {
        guard let seconds = DurationText.parse(text), seconds > 0 else {
            throw ConfigError(key, "must be \(DurationText.forms); got '\(text)'.")
        }
        return seconds
    }
}
