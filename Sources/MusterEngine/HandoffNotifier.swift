import Foundation
import Logging
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Sends the person taking over on-call a summary at every handoff: the shift that ended, open
/// incidents, and incidents during that shift. Handoffs missed while no process ran are caught up
/// for `lookback` seconds; each summary goes out once, whichever process sees it first.
public struct HandoffNotifier: Service {
    let store: any OnCallStore
    let interval: Duration
    let lookback: TimeInterval
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    public init(
        store: any OnCallStore, interval: Duration = .seconds(15), lookback: TimeInterval = 3_600,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        metrics: MusterMetrics = .none
    ) {
        self.metrics = metrics
        self.store = store
        self.interval = interval
        self.lookback = lookback
        self.now = now
        self.logger = logger
    }

    /// One look at every schedule; returns how many summaries were queued.
    @discardableResult
    public func runOnce() async throws -> Int {
        let queued = try await store.queueHandoffSummaries(at: now(), lookback: lookback)
        for summary in queued {
            logger.info("handoff summary queued", metadata: ["schedule": "\(summary.schedule)", "incoming": "\(summary.incoming ?? "-")"])
        }
        return queued.count
    }

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "handoff cycle", service: "handoff", metrics: metrics) { try await runOnce() }
    }
}
