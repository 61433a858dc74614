import Foundation
import MusterCore
import Yams

/// The YAML configuration file. Every key is optional; see README.md for the reference.
struct ConfigFile: Decodable {
    struct Listen: Decodable {
        var host: String?
        var port: Int?
        var maxConnectionsPerClient: Int?
        var maxConnections: Int?
        var headTimeout: String?
        var minBodyRate: Int?

        enum CodingKeys: String, CodingKey {
            case host, port
            case headTimeout = "head_timeout"
            case minBodyRate = "min_body_rate"
            case maxConnectionsPerClient = "max_connections_per_client"
            case maxConnections = "max_connections"
        }
    }

    struct TLS: Decodable {
        var certFile: String?
        var keyFile: String?

        enum CodingKeys: String, CodingKey {
            case certFile = "cert_file"
            case keyFile = "key_file"
        }
    }

    struct Incidents: Decodable {
        var reopenWindow: String?
        var maxBodyBytes: Int?

        enum CodingKeys: String, CodingKey {
            case reopenWindow = "reopen_window"
            case maxBodyBytes = "max_body_bytes"
        }
    }

    struct Level: Decodable {
        var name: String
        var label: String?
        var description: String?
        var acknowledge: String
        var resolve: String
        var internalUpdate: String?
        var externalUpdate: String?
        var page: Bool?

        enum CodingKeys: String, CodingKey {
            case name, label, description, acknowledge, resolve, page
            case internalUpdate = "internal_update"
            case externalUpdate = "external_update"
        }
    }

    struct Severities: Decodable {
        var preset: String?
        var levels: [Level]?
    }

    struct Ingest: Decodable {
        var rateLimit: Double?
        /// e.g. `{critical: P1, error: P2, warning: P3, info: P4}`.
        var severityMap: [String: String]?
        var maxBodyBytes: Int?

        enum CodingKeys: String, CodingKey {
            case rateLimit = "rate_limit"
            case maxBodyBytes = "max_body_bytes"
            case severityMap = "severity_map"
        }
    }

    var listen: Listen?
    var tls: TLS?
    var publicURL: String?
    var signingKey: String?
    var metricsToken: String?
    var smtpURL: String?
    var pageRate: Double?
    var ingest: Ingest?
    var database: String?
    var logLevel: String?
    var logFormat: String?
    var accessLog: Bool?
    var incidents: Incidents?
    var severities: Severities?

    enum CodingKeys: String, CodingKey {
        case listen, database, incidents, severities, ingest, tls
        case logLevel = "log_level"
        case logFormat = "log_format"
        case accessLog = "access_log"
        case publicURL = "public_url"
        case signingKey = "signing_key"
        case metricsToken = "metrics_token"
        case smtpURL = "smtp_url"
        case pageRate = "page_rate"
    }

    static func load(path: String) throws -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("config", "names '\(path)', which cannot be read.")
        }
        do {
            return try YAMLDecoder().decode(ConfigFile.self, from: String(decoding: data, as: UTF8.self))
        } catch let error as DecodingError {
            throw ConfigError("config", "file '\(path)' is not valid: \(Self.explain(error))")
        } catch {
            throw ConfigError("config", "file '\(path)' is not valid YAML: \(error)")
        }
    }

    /// The scheme the file describes, or nil when it says nothing about severities.
    func scheme() throws -> SeverityScheme? {
        guard let severities else { return nil }
        if let levels = severities.levels {
            let parsed = try levels.map { level -> Severity in
                func seconds(_ text: String?, _ key: String) throws -> Int? {
                    guard let text else { return nil }
                    guard let value = DurationText.parse(text), value > 0 else {
                        throw ConfigError("severities.\(level.name).\(key)", "must be \(DurationText.forms); got '\(text)'.")
                    }
                    return value
                }
                return Severity(
                    name: level.name, label: level.label ?? level.name, description: level.description ?? "",
                    acknowledgeTargetSeconds: try seconds(level.acknowledge, "acknowledge")!,
                    resolveTargetSeconds: try seconds(level.resolve, "resolve")!,
                    internalUpdateSeconds: try seconds(level.internalUpdate, "internal_update"),
                    externalUpdateSeconds: try seconds(level.externalUpdate, "external_update"),
                    pageImmediately: level.page ?? true)
            }
            do { return try SeverityScheme(levels: parsed) } catch { throw ConfigError(error.field ?? "severities", error.message) }
        }
        if let preset = severities.preset {
            guard let scheme = SeverityScheme.preset(named: preset) else {
                throw ConfigError("severities.preset", "is '\(preset)'; use p1-p4, sev1-sev4 or p0-p3.")
            }
            return scheme
        }
        return nil
    }

    /// The alert-to-incident severity map, checked against the scheme.
    func severityMap(scheme: SeverityScheme) throws -> SeverityMapping? {
        guard let map = ingest?.severityMap else { return nil }
        var levels: [AlertSeverity: String] = [:]
        for (alert, incident) in map {
            guard let severity = AlertSeverity(rawValue: alert) else {
                throw ConfigError("ingest.severity_map.\(alert)", "is not an alert severity; use critical, error, warning or info.")
            }
            guard let level = try? scheme.level(named: incident) else {
                throw ConfigError(
                    "ingest.severity_map.\(alert)", "names '\(incident)', which is not one of \(scheme.names.joined(separator: ", ")).")
            }
            levels[severity] = level.name
        }
        return SeverityMapping(levels: levels)
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "'\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is required."
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type."
        @unknown default: "\(error)"
        }
    }
}
