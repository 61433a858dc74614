import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle
import Synchronization

/// Tells stakeholder groups and announcement channels of incidents: every couple of seconds it
/// looks at the incidents changed lately and queues what their new timeline entries have to say.
/// The store claims each incident and keeps how far its timeline was told, so several servers
/// tell each thing once.
public struct BroadcastEngine: Service {
    let store: any CommunicationStore
    let scheme: SeverityScheme
    let announceAlertsAt: String?
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    /// How far back a round looks past the previous one: a change committed late (its time taken
    /// before a slow commit) is still seen.
    static let overlap: TimeInterval = 60
    /// How far back the first round looks, to tell what was recorded while no server ran.
    static let firstLook: TimeInterval = 86_400

    public init(
        store: any CommunicationStore, scheme: SeverityScheme, announceAlertsAt: String?, interval: Duration = .seconds(2),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger, metrics: MusterMetrics = .none
    ) {
        self.store = store
        self.scheme = scheme
        self.announceAlertsAt = announceAlertsAt
        self.interval = interval
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    /// Queues what the incidents changed since `since` have to tell; returns how many messages.
    @discardableResult
    public func runOnce(since: Date) async throws -> Int {
        let told = try await store.runBroadcasts(scheme: scheme, announceAlertsAt: announceAlertsAt, changedSince: since, at: now())
        if told > 0 { logger.info("stakeholder messages queued", metadata: ["count": "\(told)"]) }
        return told
    }

    public func run() async throws {
        let since = Mutex(now().addingTimeInterval(-Self.firstLook))
        await repeatRounds(every: interval, logger: logger, name: "stakeholder messages", service: "broadcasts", metrics: metrics) {
            let started = now()
            try await runOnce(since: since.withLock { $0 })
            since.withLock { $0 = started.addingTimeInterval(-Self.overlap) }
        }
    }
}
