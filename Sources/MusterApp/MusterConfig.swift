import Foundation
import Logging
import MusterCore

/// Everything `muster serve` and `muster migrate` need to run; defaults need no file at all.
public struct MusterConfig: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// A file path or `sqlite://` URL for SQLite, or a `postgres://` URL.
    public var database = "./muster.db"
    public var scheme = SeverityScheme.standard
    public var reopenWindowSeconds = 72 * 3_600
    /// The share of an update's cadence it may be late before it is overdue.
    public var updateReminderGrace = 1.0 / 3
    /// `updates.announce_alerts_at` as written: a severity, or `none`; nil for the default.
    public var announceAlertsAtSetting: String?
    /// The least severe level at which an incident opened from alerts is announced to stakeholder
    /// groups (declared ones always are); nil for never. By default the scheme's second level.
    public var announceAlertsAt: String? {
        guard let setting = announceAlertsAtSetting else { return scheme.levels[min(1, scheme.levels.count - 1)].name }
        return setting.lowercased() == "none" ? nil : setting
    }
    /// Status update templates replacing the shipped ones, by name.
    public var updateTemplates: [String: String] = [:]
    public var maxBodyBytes = 1 << 20
    /// Largest alert request body, in bytes: Alertmanager sends every alert of a group in one
    /// request, so a storm is a large body, and refusing it would page no one.
    public var maxIngestBodyBytes = 16 << 20
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
    /// Whether every request is logged at info (method, path, status, time taken).
    public var accessLog = false
    /// False serves without delivering pages or escalating (a restored or staging copy): pages
    /// queue in the outbox and nobody is reached.
    public var paging = true
    /// The URL senders use to reach this server; defaults to the listen address.
    public var publicURL: String?
    /// Alert events a second each integration key may send (bursts of ten times that); 0 = no limit.
    public var ingestRatePerSecond = 100.0
    /// Pages a minute each contact address may receive (bursts of as many); 0 = no limit.
    public var pagesPerMinute = 10.0
    /// HTTP connections one client address may hold open at once; 0 = no limit.
    public var maxConnectionsPerClient = 512
    /// HTTP connections all clients together may hold open at once; 0 = no limit; nil = the
    /// open-file limit less `MusterServer.descriptorReserve`, decided at start.
    public var maxConnections: Int?
    /// Addresses of reverse proxies in front of Muster, exempt from the per-client connection limit.
    public var trustedProxies: [String] = []
    /// Seconds from a request's first byte to its complete head before the connection is closed.
    public var headTimeoutSeconds = 10
    /// Bytes a second a request body must arrive at, while the server reads it; 0 = no minimum.
    public var minimumBodyRate = 500
    /// The SMTP server pages are emailed through, as an `smtp://` URL; nil sends no email.
    public var smtpURL: String?
    /// The key outbound webhooks are signed with (HMAC-SHA256); nil makes a random one per start.
    public var signingKey: String?
    /// PEM files Muster serves HTTPS with; both or neither.
    public var tlsCertFile: String?
    public var tlsKeyFile: String?
    /// `https` when Muster serves TLS itself, else `http`.
    public var urlScheme: String { tlsCertFile == nil ? "http" : "https" }
    /// The token `GET /metrics` asks for; nil lets anyone who reaches the server scrape it.
    public var metricsToken: String?
    /// Incident severity per alert severity; nil keeps critical→1st level … info→4th.
    public var alertSeverityMap: SeverityMapping?
    /// The mapping in use: the configured one, or the default for the scheme.
    public var severityMapping: SeverityMapping { alertSeverityMap ?? .standard(for: scheme) }

    /// `postmortems.required` as written: levels separated by commas, or `none`; nil for the
    /// default (the two most severe levels).
    public var postmortemRequiredSetting: String?
    /// How long after resolution a post-mortem is due.
    public var postmortemDueSeconds = 48 * 3_600
    /// How long after publication the follow-up review comes.
    public var postmortemFollowUpSeconds = 14 * 86_400

    /// How far before an incident's start a change is a suspect.
    public var changeWindowSeconds = 4 * 3_600
    /// How long an incident is watched in monitoring before it is resolved.
    public var stabilityWindowSeconds = 15 * 60
    /// The checklists attached to incidents by severity.
    public var checklistTemplates = ChecklistTemplate.standard
    /// The outbound hooks mitigation kinds may call.
    public var mitigationHooks = MitigationHooks()
    /// A folder of Markdown runbooks loaded at start.
    public var runbooksFolder: String?
    /// The sections post-mortems are drafted in.
    public var postmortemTemplate = PostmortemTemplate.standard
    /// Phrases the team adds to the blameless check.
    public var blamelessPhrases: [String] = []

    /// The blameless check's rules: the standard ones, and one for the team's own phrases.
    public var blamelessRules: [BlamelessRule] {
        guard !blamelessPhrases.isEmpty else { return BlamelessCheck.standardRules }
        return BlamelessCheck.standardRules + [
            BlamelessRule(
                id: "team", phrases: blamelessPhrases,
                explanation: "Your team asked not to write this: it tends to put people, not conditions, at the centre.",
                suggestion: "Describe what the system did and what made it possible.")
        ]
    }

    /// Which incidents need a post-mortem and by when, under the scheme in force.
    public var postmortemPolicy: PostmortemPolicy {
        let required: Set<String> =
            postmortemRequiredSetting.map { setting in
                setting.lowercased() == "none"
                    ? [] : Set(setting.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            } ?? PostmortemPolicy.standard(for: scheme).required
        return PostmortemPolicy(required: required, defaultDueSeconds: postmortemDueSeconds, followUpSeconds: postmortemFollowUpSeconds)
    }

    public init() {}

    public static func == (lhs: MusterConfig, rhs: MusterConfig) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.database == rhs.database && lhs.scheme == rhs.scheme
            && lhs.reopenWindowSeconds == rhs.reopenWindowSeconds && lhs.updateReminderGrace == rhs.updateReminderGrace
            && lhs.announceAlertsAtSetting == rhs.announceAlertsAtSetting && lhs.postmortemRequiredSetting == rhs.postmortemRequiredSetting
            && lhs.postmortemDueSeconds == rhs.postmortemDueSeconds && lhs.postmortemFollowUpSeconds == rhs.postmortemFollowUpSeconds
            && lhs.blamelessPhrases == rhs.blamelessPhrases && lhs.postmortemTemplate == rhs.postmortemTemplate
            && lhs.changeWindowSeconds == rhs.changeWindowSeconds && lhs.runbooksFolder == rhs.runbooksFolder
            && lhs.checklistTemplates == rhs.checklistTemplates && lhs.mitigationHooks == rhs.mitigationHooks && lhs.stabilityWindowSeconds == rhs.stabilityWindowSeconds
            && lhs.updateTemplates == rhs.updateTemplates && lhs.maxBodyBytes == rhs.maxBodyBytes
            && lhs.maxIngestBodyBytes == rhs.maxIngestBodyBytes
            && lhs.logLevel == rhs.logLevel && lhs.publicURL == rhs.publicURL && lhs.ingestRatePerSecond == rhs.ingestRatePerSecond
            && lhs.alertSeverityMap == rhs.alertSeverityMap && lhs.signingKey == rhs.signingKey && lhs.smtpURL == rhs.smtpURL
            && lhs.pagesPerMinute == rhs.pagesPerMinute && lhs.metricsToken == rhs.metricsToken
            && lhs.logFormat == rhs.logFormat && lhs.accessLog == rhs.accessLog
            && lhs.paging == rhs.paging && lhs.headTimeoutSeconds == rhs.headTimeoutSeconds
            && lhs.minimumBodyRate == rhs.minimumBodyRate && lhs.trustedProxies == rhs.trustedProxies && lhs.tlsCertFile == rhs.tlsCertFile
            && lhs.tlsKeyFile == rhs.tlsKeyFile
            && lhs.maxConnectionsPerClient == rhs.maxConnectionsPerClient && lhs.maxConnections == rhs.maxConnections
    }
}

/// A configuration value that could not be used; `key` names where it came from.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var key: String
    public var reason: String

    public init(_ key: String, _ reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String { "Configuration '\(key)' \(reason)" }
}
