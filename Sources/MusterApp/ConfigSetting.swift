import Foundation
import MusterCore

/// One scalar setting, under its three names (file key, environment variable, flag), with how
/// its text is read into the configuration and how `muster config check` shows it.
struct ConfigSetting: Sendable {
    /// The dotted key of the YAML file, which also names the setting.
    var key: String
    var environment: String?
    var flag: String?
    /// A secret: may come from a file (`KEY_file`, `ENV_FILE`), and is never shown.
    var secret = false
    var apply: @Sendable (_ text: String, _ name: String, _ config: inout MusterConfig) throws -> Void
    var show: @Sendable (MusterConfig) -> String

    typealias L = ConfigLoader

    static let all: [ConfigSetting] = [
        ConfigSetting(
            key: "listen.host", environment: "MUSTER_HOST", flag: "--host", apply: { text, _, config in config.host = text },
            show: { $0.host }),
        ConfigSetting(
            key: "listen.port", environment: "MUSTER_PORT", flag: "--port",
            apply: { text, name, config in config.port = try L.port(text, key: name) },
            show: { String($0.port) }),
        ConfigSetting(
            key: "listen.max_connections_per_client", environment: "MUSTER_MAX_CONNECTIONS_PER_CLIENT",
            apply: { text, name, config in config.maxConnectionsPerClient = try L.connections(text, key: name) },
            show: { String($0.maxConnectionsPerClient) }),
        ConfigSetting(
            key: "listen.max_connections", environment: "MUSTER_MAX_CONNECTIONS",
            apply: { text, name, config in config.maxConnections = try L.connections(text, key: name) },
            show: { $0.maxConnections.map(String.init) ?? "the open-file limit less 256" }),
        ConfigSetting(
            key: "listen.trusted_proxies", environment: "MUSTER_TRUSTED_PROXIES",
            apply: { text, name, config in config.trustedProxies = try L.addresses(text, key: name) },
            show: { $0.trustedProxies.isEmpty ? "none" : $0.trustedProxies.joined(separator: ", ") }),
        ConfigSetting(
            key: "listen.head_timeout", environment: "MUSTER_HEAD_TIMEOUT",
            apply: { text, name, config in config.headTimeoutSeconds = try L.headTimeout(text, key: name) },
            show: { DurationText.human(Double($0.headTimeoutSeconds)) }),
        ConfigSetting(
            key: "listen.min_body_rate", environment: "MUSTER_MIN_BODY_RATE",
            apply: { text, name, config in config.minimumBodyRate = try L.bodyRate(text, key: name) },
            show: { "\($0.minimumBodyRate) bytes a second" }),
        ConfigSetting(
            key: "tls.cert_file", environment: "MUSTER_TLS_CERT_FILE", apply: { text, _, config in config.tlsCertFile = text },
            show: { $0.tlsCertFile ?? "none (plain HTTP)" }),
        ConfigSetting(
            key: "tls.key_file", environment: "MUSTER_TLS_KEY_FILE", apply: { text, _, config in config.tlsKeyFile = text },
            show: { $0.tlsKeyFile ?? "none" }),
        ConfigSetting(
            key: "database", environment: "MUSTER_DATABASE", flag: "--database", secret: true,
            apply: { text, _, config in config.database = text }, show: { StoreFactory.describe($0.database) }),
        ConfigSetting(
            key: "public_url", environment: "MUSTER_PUBLIC_URL",
            apply: { text, name, config in config.publicURL = try L.url(text, key: name) },
            show: { $0.publicURL ?? "\($0.urlScheme)://\($0.host):\($0.port) (the listen address)" }),
        ConfigSetting(
            key: "signing_key", environment: "MUSTER_SIGNING_KEY", secret: true,
            apply: { text, name, config in config.signingKey = try L.signingKey(text, key: name) },
            show: { masked($0.signingKey, otherwise: "random at each start") }),
        ConfigSetting(
            key: "metrics_token", environment: "MUSTER_METRICS_TOKEN", secret: true,
            apply: { text, name, config in config.metricsToken = try L.metricsToken(text, key: name) },
            show: { masked($0.metricsToken, otherwise: "none (anyone may scrape /metrics)") }),
        ConfigSetting(
            key: "smtp_url", environment: "MUSTER_SMTP_URL", secret: true,
            apply: { text, name, config in config.smtpURL = try L.smtp(text, key: name) },
            show: { $0.smtpURL.map(withoutPassword) ?? "none (email contacts cannot be paged)" }),
        ConfigSetting(
            key: "page_rate", environment: "MUSTER_PAGE_RATE",
            apply: { text, name, config in config.pagesPerMinute = try L.rate(text, key: name) },
            show: { "\($0.pagesPerMinute) a minute per contact" }),
        ConfigSetting(
            key: "log_level", environment: "MUSTER_LOG_LEVEL", flag: "--log-level",
            apply: { text, name, config in config.logLevel = try L.logLevel(text, key: name) }, show: { $0.logLevel.rawValue }),
        ConfigSetting(
            key: "log_format", environment: "MUSTER_LOG_FORMAT",
            apply: { text, name, config in config.logFormat = try L.logFormat(text, key: name) },
            show: { $0.logFormat.rawValue }),
        ConfigSetting(
            key: "access_log", environment: "MUSTER_ACCESS_LOG",
            apply: { text, name, config in config.accessLog = try L.flag(text, key: name) },
            show: { String($0.accessLog) }),
        ConfigSetting(
            key: "incidents.stability_window", environment: "MUSTER_STABILITY_WINDOW",
            apply: { text, name, config in config.stabilityWindowSeconds = try L.duration(text, key: name, allowZero: true) },
            show: {
                $0.stabilityWindowSeconds == 0
                    ? "none: resolving is not held after mitigation"
                    : "\(DurationText.human(Double($0.stabilityWindowSeconds))) of monitoring before resolving"
            }),
        ConfigSetting(
            key: "incidents.reopen_window", environment: "MUSTER_REOPEN_WINDOW",
            apply: { text, name, config in config.reopenWindowSeconds = try L.duration(text, key: name) },
            show: { DurationText.human(Double($0.reopenWindowSeconds)) }),
        ConfigSetting(
            key: "updates.reminder_grace", environment: "MUSTER_UPDATE_REMINDER_GRACE",
            apply: { text, name, config in config.updateReminderGrace = try L.share(text, key: name) },
            show: { "\(Int(($0.updateReminderGrace * 100).rounded())) % of the cadence" }),
        ConfigSetting(
            key: "updates.announce_alerts_at", environment: "MUSTER_ANNOUNCE_ALERTS_AT",
            apply: { text, _, config in config.announceAlertsAtSetting = text.trimmingCharacters(in: .whitespaces) },
            show: { $0.announceAlertsAt.map { "\($0) and more severe" } ?? "never" }),
        ConfigSetting(
            key: "postmortems.required", environment: "MUSTER_POSTMORTEMS_REQUIRED",
            apply: { text, _, config in config.postmortemRequiredSetting = text.trimmingCharacters(in: .whitespaces) },
            show: { config in
                let levels = config.postmortemPolicy.required.sorted()
                return levels.isEmpty ? "none" : levels.joined(separator: ", ")
            }),
        ConfigSetting(
            key: "postmortems.due", environment: "MUSTER_POSTMORTEM_DUE",
            apply: { text, name, config in config.postmortemDueSeconds = try L.duration(text, key: name) },
            show: { "\(DurationText.human(Double($0.postmortemDueSeconds))) after resolution" }),
        ConfigSetting(
            key: "postmortems.follow_up", environment: "MUSTER_POSTMORTEM_FOLLOW_UP",
            apply: { text, name, config in config.postmortemFollowUpSeconds = try L.duration(text, key: name) },
            show: { "\(DurationText.human(Double($0.postmortemFollowUpSeconds))) after publication" }),
        ConfigSetting(
            key: "runbooks.folder", environment: "MUSTER_RUNBOOKS_FOLDER",
            apply: { text, _, config in config.runbooksFolder = text.isEmpty ? nil : text },
            show: { $0.runbooksFolder ?? "none" }),
        ConfigSetting(
            key: "changes.window", environment: "MUSTER_CHANGES_WINDOW",
            apply: { text, name, config in config.changeWindowSeconds = try L.duration(text, key: name) },
            show: { "\(DurationText.human(Double($0.changeWindowSeconds))) before an incident's start" }),
        ConfigSetting(
            key: "postmortems.blameless_phrases", environment: "MUSTER_BLAMELESS_PHRASES",
            apply: { text, name, config in
                let phrases = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
                guard phrases.count <= 200, phrases.allSatisfy({ $0.count <= 80 }) else {
                    throw ConfigError(name, "holds at most 200 phrases of at most 80 characters each.")
                }
                config.blamelessPhrases = phrases
            },
            show: { $0.blamelessPhrases.isEmpty ? "none besides the standard rules" : $0.blamelessPhrases.joined(separator: ", ") }),
        ConfigSetting(
            key: "incidents.max_body_bytes",
            apply: { text, name, config in config.maxBodyBytes = try L.bytes(text, key: name, range: 1_024...(64 << 20)) },
            show: { String($0.maxBodyBytes) }),
        ConfigSetting(
            key: "ingest.rate_limit", environment: "MUSTER_INGEST_RATE",
            apply: { text, name, config in config.ingestRatePerSecond = try L.rate(text, key: name) },
            show: { "\($0.ingestRatePerSecond) events a second per key" }),
        ConfigSetting(
            key: "ingest.max_body_bytes",
            apply: { text, name, config in config.maxIngestBodyBytes = try L.bytes(text, key: name, range: 1_024...(256 << 20)) },
            show: { String($0.maxIngestBodyBytes) }),
    ]

    /// A secret as `config check` shows it: its length only.
    static func masked(_ secret: String?, otherwise: String) -> String {
        secret.map { "•••• (\($0.count) characters)" } ?? otherwise
    }

    /// An `smtp://` URL without its password.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? "smtp://…"
    }
}

/// The scalar settings as `muster config check` lists them: key and value shown, secrets masked.
public enum ConfigSettingsView {
    public static func rows(_ config: MusterConfig) -> [[String]] {
        ConfigSetting.all.map { [$0.key, $0.show(config)] }
    }
}
