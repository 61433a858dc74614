import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Brings the alerts a silence held back into incidents once the silence is over and they still
/// fire. A maintenance window that ends on a system still broken must page, and the sender may
/// never send the alert again: a PagerDuty client triggers once, and Alertmanager repeats a firing
/// alert only every `repeat_interval` (4 h by default). Any process may do it; the store places
/// each alert once.
public struct SilenceReleaser: Service {
    let store: any AlertStore
    let scheme: SeverityScheme
    let mapping: SeverityMapping
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    public init(
        store: any AlertStore, scheme: SeverityScheme, mapping: SeverityMapping, interval: Duration = .seconds(5),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        metrics: MusterMetrics = .none
    ) {
        self.metrics = metrics
        self.store = store
        self.scheme = scheme
        self.mapping = mapping
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// Alerts handled per transaction; more wait for the next turn, which comes at once.
    static let batch = 500

    /// Releases every alert whose silence is over; returns what became of them.
    @discardableResult
    public func runOnce() async throws -> [IngestOutcome] {
        var released: [IngestOutcome] = []
        while true {
            let outcomes = try await store.releaseHeldAlerts(scheme: scheme, mapping: mapping, at: now(), limit: Self.batch)
            for outcome in outcomes {
                logger.info(
                    "silence over, alert still firing",
                    metadata: [
                        "dedup_key": "\(outcome.dedupKey)", "incident": "\(outcome.incident ?? "-")", "silenced": "\(outcome.silenced)",
                    ])
            }
            released += outcomes
            // Each alert released, or held again by another silence, no longer qualifies; fewer
            // than asked for means none are left.
            guard outcomes.count == Self.batch else { return released }
        }
    }

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "silence release", service: "silence_release", metrics: metrics) { try await runOnce() }
    }
}
