import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Keeps the status page's record moving on its own: maintenance moves through its states at its
/// times, and each component's status is written down as intervals whenever it changes, which is
/// what the 90-day uptime bars are computed from. Any number of servers may run it: the store
/// claims each maintenance once and records each change once.
public struct StatusPageEngine: Service {
    let store: any StatusPageStore
    let scheme: SeverityScheme
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    public init(
        store: any StatusPageStore, scheme: SeverityScheme, interval: Duration = .seconds(2),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger, metrics: MusterMetrics = .none
    ) {
        self.store = store
        self.scheme = scheme
        self.interval = interval
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    /// One round: moves maintenance that is due, then records the components' status.
    public func runOnce() async throws {
        let now = now()
        for (maintenance, updates) in try await store.advanceMaintenances(at: now) {
            for update in updates {
                logger.info(
                    "maintenance moved on",
                    metadata: ["maintenance": "\(maintenance.id)", "title": "\(maintenance.title)", "state": "\(update.state.rawValue)"])
            }
        }
        let settings = try await store.statusPageSettings()
        let rollup = settings?.rollup(for: scheme) ?? .standard(for: scheme)
        let board = StatusBoard(
            components: try await store.statusComponents(), incidents: try await store.publicIncidents(resolvedSince: now, rollup: rollup),
            maintenances: try await store.maintenances(endedSince: now), rollup: rollup, at: now)
        for change in try await store.recordComponentStates(board.states, at: now) {
            logger.info(
                "status page component changed",
                metadata: [
                    "component": "\(change.component)", "from": "\(change.from.rawValue)", "to": "\(change.to.status.rawValue)",
                    "reason": "\(change.to.reason ?? "-")",
                ])
        }
    }

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "status page", service: "status_page", metrics: metrics) {
            try await runOnce()
        }
    }
}
