import Foundation
import MusterCore
import MusterMetrics
import MusterStore

/// What the HTTP layer needs from the composition root.
public struct APIEnvironment: Sendable {
    public var stores: Stores
    public var scheme: SeverityScheme
    /// How long after resolution an incident may still be reopened.
    public var reopenWindowSeconds: Int
    /// Largest API request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// Largest alert request body accepted, in bytes.
    public var maxIngestBodyBytes: Int
    public var now: @Sendable () -> Date
    /// Which incident severity each alert severity opens.
    public var mapping: SeverityMapping
    /// The URL senders reach this server at, for the set-up snippets integrations print.
    public var publicURL: String
    /// Per-integration limit on ingested events.
    public var rateLimiter: RateLimiter
    /// Thins the log's notices about throttled integrations to one a minute each.
    public var throttleNotices = LogSampler(interval: 60)
    /// Shares one transaction among concurrent ingest requests.
    public var ingestor: GroupCommitIngestor
    /// Recently used integration keys, so each alert request does not look its key up again.
    public var integrationKeys: IntegrationKeyCache
    /// Signs and checks the one-click acknowledge links in pages.
    public var ackLinks: AckLink
    /// Sends a test message to a contact method; nil when this server has no delivery channels.
    public var contactTester: (@Sendable (ContactMethod, String, Date) async -> DeliveryResult)?
    /// Where requests and alerts are counted.
    public var metrics: MusterMetrics
    /// What `GET /metrics` serves.
    public var metricsExport: PrometheusExport
    /// The token `/metrics` asks for; nil lets anyone scrape.
    public var metricsToken: String?
    /// Whether every request is logged at info.
    public var accessLog = false
    /// Failed sign-ins to the pages per account: five in a row, then one every three minutes.
    public var signInFailuresByAccount = RateLimiter(rate: 1.0 / 180, burst: 5)
    /// Failed sign-ins per client address, which a whole office may share: twenty, then one a minute.
    public var signInFailuresByAddress = RateLimiter(rate: 1.0 / 60, burst: 20)
    /// Whether the pages' cookies are `Secure`: the server is reached over HTTPS.
    public var securePages: Bool { publicURL.lowercased().hasPrefix("https://") }
    /// Reverse proxies whose `X-Forwarded-For` names the client in the access log.
    public var trustedProxies: Set<String> = []
    /// What wakes the live pages.
    public var liveChanges: LiveChanges
    /// The templates status updates are written from.
    public var updateTemplates: UpdateTemplates
    /// The least severe level at which incidents opened from alerts are announced; nil for never.
    public var announceAlertsAt: String?
    /// The signed links status page subscribers confirm and leave with.
    public var subscriberLinks: SubscriberLinks
    /// The public status page, rendered once per change.
    public var statusPage: StatusPageCache
    /// Which incidents need a post-mortem, and by when.
    public var postmortemPolicy: PostmortemPolicy
    /// The sections post-mortems are drafted in.
    public var postmortemTemplate = PostmortemTemplate.standard
    /// How the changes before an incident are ranked, and how far back.
    public var changeRanking = ChangeRanking()
    /// The checklists attached to incidents by severity.
    public var checklistTemplates = ChecklistTemplate.standard
    /// How long an incident stays mitigated before resolving it needs no confirmation.
    public var stabilityWindow: TimeInterval = 15 * 60
    /// The outbound hooks mitigation kinds may call.
    public var mitigationHooks = MitigationHooks()
    /// Calls a mitigation hook with the call, its URL and its address as shown; nil when this
    /// server sends nothing out.
    public var callMitigationHook: (@Sendable (MitigationHookCall, String, String) async -> MitigationHookAnswer)?
    /// The blameless check's rules: the standard ones and any configured.
    public var blamelessRules = BlamelessCheck.standardRules
    /// Self-service subscriptions asked for one address: three, then one every five minutes.
    public var subscribeByAddress = RateLimiter(rate: 1.0 / 300, burst: 3)
    /// Self-service subscriptions asked from one client: ten, then one a minute.
    public var subscribeByClient = RateLimiter(rate: 1.0 / 60, burst: 10)

    public init(
        stores: Stores, scheme: SeverityScheme = .standard, reopenWindowSeconds: Int = 72 * 3_600,
        maxBodyBytes: Int = 1 << 20, maxIngestBodyBytes: Int = 16 << 20, now: @escaping @Sendable () -> Date = { Date() },
        mapping: SeverityMapping? = nil, publicURL: String = "http://127.0.0.1:8080",
        rateLimiter: RateLimiter = RateLimiter(rate: 0), signingKey: Data = Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
        contactTester: (@Sendable (ContactMethod, String, Date) async -> DeliveryResult)? = nil,
        metricsExport: PrometheusExport = PrometheusExport(version: MusterVersion.number), metricsToken: String? = nil
    ) {
        self.metricsExport = metricsExport
        self.metricsToken = metricsToken
        metrics = metricsExport.metrics
        self.contactTester = contactTester
        self.stores = stores
        self.scheme = scheme
        self.reopenWindowSeconds = reopenWindowSeconds
        self.maxBodyBytes = maxBodyBytes
        self.maxIngestBodyBytes = maxIngestBodyBytes
        self.now = now
        self.mapping = mapping ?? .standard(for: scheme)
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.rateLimiter = rateLimiter
        ingestor = GroupCommitIngestor(store: stores.alerts, scheme: scheme, mapping: self.mapping, now: now)
        integrationKeys = IntegrationKeyCache(store: stores.alerts, now: now)
        ackLinks = AckLink(key: signingKey, publicURL: self.publicURL)
        subscriberLinks = SubscriberLinks(key: signingKey, publicURL: self.publicURL)
        liveChanges = LiveChanges(store: stores.incidents)
        // The shipped templates are checked by tests: they always parse.
        updateTemplates = try! UpdateTemplates()
        statusPage = StatusPageCache(maxAge: 0)
        postmortemPolicy = .standard(for: scheme)
    }
}

extension APIEnvironment {
    /// A `service` filter naming a service that does not exist is a mistake, not an empty list.
    func requireServiceFilter(_ id: String?) async throws {
        guard let id, try await stores.services.service(id) == nil else { return }
        throw Problem.invalid("service", "'service' names '\(id.prefix(80))', which is not a service.")
    }
}
