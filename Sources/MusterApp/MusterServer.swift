import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import MusterCore
import MusterEngine
import MusterHTTP
import MusterMetrics
import MusterStore
import NIOCore
import ServiceLifecycle

/// Assembles and runs the server: store, migrations, HTTP and the engine services.
public enum MusterServer {
    /// Opens the store, applies migrations and runs until SIGINT/SIGTERM.
    /// `onListening` receives the bound port, which differs from the configured one when that is 0.
    public static func run(_ config: MusterConfig, onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var config = config
        if config.port == 0 { config.port = try await FreePort.find(host: config.host) }
        var logger = Logger(label: "muster")
        logger.logLevel = config.logLevel
        let files = OpenFileLimit.raise()
        if files < 4_096 {
            logger.warning("Only \(files) open files allowed (ulimit -n): each connection takes one; raise the hard limit.")
        }
        if config.maxConnections == nil { config.maxConnections = Self.defaultMaxConnections(openFiles: files) }
        for warning in ConfigAdvice.warnings(config) { logger.warning("\(warning)") }
        let certificate = try config.tlsCertFile.map { try ServedCertificate(certFile: $0, keyFile: config.tlsKeyFile ?? "") }
        let hangup = HangupSignal { [logger] in
            guard let certificate else {
                logger.notice("SIGHUP: no TLS certificate is configured, so there is nothing to reread.")
                return
            }
            if let error = certificate.reload() {
                logger.error("SIGHUP: the TLS certificate was not reread; the one before is still served. \(error)")
            } else {
                logger.notice("SIGHUP: TLS certificate reread; new connections get it.")
            }
        }
        defer { hangup.cancel() }
        let export = PrometheusExport(version: MusterVersion.number)
        let store = try await StoreFactory.open(config.database, logger: logger, metrics: export.metrics)
        do {
            let applied = try await store.migrate()
            if !applied.isEmpty { logger.info("applied migrations", metadata: ["versions": "\(applied)"]) }
            for advice in await (store as? SQLStore)?.settingsAdvice() ?? [] { logger.notice("\(advice)") }
            if let folder = config.runbooksFolder {
                let runbooks = try RunbookFolder.load(folder, at: Date())
                for runbook in runbooks { _ = try await store.saveRunbook(runbook) }
                logger.info("runbooks loaded", metadata: ["folder": "\(folder)", "count": "\(runbooks.count)"])
            }
            if try await store.tokens().isEmpty {
                logger.notice("No API tokens exist yet. Create the first one with: muster token create --name admin --role admin")
            }
            let key = signingKey(config, logger: logger)
            let publicURL = config.publicURL ?? "\(config.urlScheme)://\(config.host):\(config.port)"
            let webhook = WebhookChannel(signingKey: key, publicURL: publicURL)
            let email = config.smtpURL.flatMap(SMTPSettings.parse).map { EmailChannel(settings: $0, signingKey: key, publicURL: publicURL) }
            if email == nil { logger.notice("No smtp_url configured: email contact methods cannot be paged.") }
            let stores = Stores(store)
            var app = try buildApplication(
                config: config, stores: stores, logger: logger, signingKey: key, metricsExport: export, certificate: certificate,
                contactTester: { contact, user, now in
                    if contact.kind == .email {
                        return await email?.sendTest(to: contact, user: user, at: now)
                            ?? .impossible("no smtp_url is configured on this server")
                    }
                    return await webhook.sendTest(to: contact, user: user, at: now)
                },
                onListening: onListening)
            let perContact = RateLimiter(rate: config.pagesPerMinute / 60, burst: max(config.pagesPerMinute, 1))
            app.addServices(
                engineServices(
                    stores: stores, config: config, webhook: webhook, email: email, perContact: perContact, logger: logger,
                    metrics: export.metrics))
            do {
                try await app.runService()
            } catch let error as IOError where [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(error.errnoCode) {
                throw Self.listenError(error, config: config)
            }
        } catch {
            try? await store.shutdown()
            throw error
        }
        try await store.shutdown()
    }

    /// Descriptors kept from client connections by default: for the database's connections,
    /// SQLite's files, outbound pages and the log.
    public static let descriptorReserve = 256

    /// All clients' connections together, by default: what the open-file limit leaves past the
    /// reserve, and never fewer than 64; no limit where the open-file limit is unknown (0).
    public static func defaultMaxConnections(openFiles: UInt64) -> Int {
        guard openFiles > 0 else { return 0 }
        return max(64, Int(min(openFiles, 1 << 30)) - descriptorReserve)
    }

    /// Why the server could not listen where it was told to, in the words an operator needs.
    static func listenError(_ error: IOError, config: MusterConfig) -> ConfigError {
        let address = "\(config.host):\(config.port)"
        return switch error.errnoCode {
        case EADDRINUSE:
            ConfigError(
                "listen", "cannot use \(address): another process listens there (another muster serve?). Stop it or choose another port.")
        case EACCES: ConfigError("listen", "cannot use \(address): ports below 1024 need privileges. Choose a port from 1024 up.")
        default: ConfigError("listen", "cannot use \(address): \(config.host) is not an address of this machine.")
        }
    }

    /// The configured signing key, or a random one (with a warning) when none is set.
    static func signingKey(_ config: MusterConfig, logger: Logger) -> Data {
        if let configured = config.signingKey { return Data(configured.utf8) }
        logger.warning(
            "No signing_key configured: webhooks and acknowledge links are signed with a random key that changes at every start.")
        return Data((0..<32).map { _ in UInt8.random(in: 0...255) })
    }

    /// The background services: escalations, handoff summaries, status update reminders, messages
    /// to stakeholders, delivery, alerts that outlive their silence, and the status page's record.
    public static func engineServices(
        stores: Stores, config: MusterConfig, webhook: WebhookChannel, email: EmailChannel?, perContact: RateLimiter, logger: Logger,
        metrics: MusterMetrics = .none
    ) -> [any Service] {
        var channels: [ContactMethod.Kind: any NotificationChannel] = [.webhook: webhook, .slack: webhook]
        if let email { channels[.email] = email }
        let releaser = SilenceReleaser(
            store: stores.alerts, scheme: config.scheme, mapping: config.severityMapping, logger: logger, metrics: metrics)
        let statusPage = StatusPageEngine(
            store: stores.statusPage, scheme: config.scheme,
            publicURL: config.publicURL ?? "\(config.urlScheme)://\(config.host):\(config.port)",
            logger: logger, metrics: metrics)
        guard config.paging else {
            logger.warning("Paging is off (--no-paging): incidents open and pages queue, but nobody is escalated to or reached.")
            return [releaser, statusPage]
        }
        return [
            EscalationEngine(store: stores.paging, logger: logger, metrics: metrics),
            HandoffNotifier(store: stores.onCall, logger: logger, metrics: metrics),
            UpdateReminderEngine(
                store: stores.paging, scheme: config.scheme, grace: config.updateReminderGrace, logger: logger, metrics: metrics),
            BroadcastEngine(
                store: stores.communication, scheme: config.scheme, announceAlertsAt: config.announceAlertsAt, logger: logger,
                metrics: metrics),
            NotificationSender(store: stores.paging, channels: channels, perContact: perContact, logger: logger, metrics: metrics),
            releaser,
            statusPage,
            FollowUpEngine(store: stores.learning, logger: logger, metrics: metrics),
        ]
    }

    /// Seconds a connection may stay silent, between requests or inside one, before it is closed.
    public static let idleTimeoutSeconds: Int64 = 120

    /// The Hummingbird application over an open, migrated store.
    public static func buildApplication(
        config: MusterConfig, stores: Stores, logger: Logger, signingKey: Data,
        metricsExport: PrometheusExport = PrometheusExport(version: MusterVersion.number), certificate: ServedCertificate? = nil,
        contactTester: (@Sendable (ContactMethod, String, Date) async -> DeliveryResult)? = nil,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> Application<RouterResponder<MusterRequestContext>> {
        var env = APIEnvironment(
            stores: stores, scheme: config.scheme, reopenWindowSeconds: config.reopenWindowSeconds,
            maxBodyBytes: config.maxBodyBytes, maxIngestBodyBytes: config.maxIngestBodyBytes, mapping: config.severityMapping,
            publicURL: config.publicURL ?? "\(config.urlScheme)://\(config.host):\(config.port)",
            rateLimiter: RateLimiter(rate: config.ingestRatePerSecond), signingKey: signingKey, contactTester: contactTester,
            metricsExport: metricsExport, metricsToken: config.metricsToken)
        env.accessLog = config.accessLog
        env.trustedProxies = Set(config.trustedProxies)
        // The configuration's templates were parsed when it was read.
        env.updateTemplates = try UpdateTemplates(overrides: config.updateTemplates)
        env.announceAlertsAt = config.announceAlertsAt
        env.postmortemPolicy = config.postmortemPolicy
        env.blamelessRules = config.blamelessRules
        env.postmortemTemplate = config.postmortemTemplate
        env.checklistTemplates = config.checklistTemplates
        env.stabilityWindow = Double(config.stabilityWindowSeconds)
        env.mitigationHooks = config.mitigationHooks
        let hookCaller = MitigationHookCaller(signingKey: signingKey)
        env.callMitigationHook = { call, url, shown in await hookCaller.call(call, to: url, shown: shown, at: Date()) }
        env.changeRanking = ChangeRanking(window: Double(config.changeWindowSeconds))
        // Every instance asks the store at most once a second whether the public page changed.
        env.statusPage = StatusPageCache(maxAge: 1)
        let router = MusterRouter.build(env)
        let description = StoreFactory.describe(config.database)
        let limits = ConnectionLimits(
            perClient: config.maxConnectionsPerClient, total: config.maxConnections ?? 0, proxies: Set(config.trustedProxies),
            logger: logger)
        let slow = SlowClientLimits(headTimeout: .seconds(Int64(config.headTimeoutSeconds)), minimumBodyRate: config.minimumBodyRate)
        // Without an idle timeout a client that connects and goes quiet holds its connection for
        // ever. Senders keep idle connections up to 90 s (Go's default) or 5 min (Prometheus's),
        // and retry a request on one the server closed before it was sent.
        let http = HTTPServerBuilder.http1(
            configuration: .init(
                additionalChannelHandlers: [limits.handler(), slow.handler(logger: logger)], idleTimeout: .seconds(Self.idleTimeoutSeconds))
        )
        return Application(
            router: router,
            server: try certificate.map { try .tls(http, tlsConfiguration: $0.tlsConfiguration()) } ?? http,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Muster/\(MusterVersion.number)"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                logger.info(
                    "Muster \(MusterVersion.number) listening on \(config.urlScheme)://\(config.host):\(port) (database \(description))")
                onListening(port)
            },
            logger: logger)
    }
}
