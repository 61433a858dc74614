import Foundation
import Logging
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Pages the next escalation level whenever one is due. Due work lives in the database, so a
/// restart resumes where it stopped and several processes share the work without doubling it.
public struct EscalationEngine: Service {
    let store: any PagingStore
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    public init(
        store: any PagingStore, interval: Duration = .milliseconds(200), now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        metrics: MusterMetrics = .none
    ) {
        self.metrics = metrics
        self.store = store
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// One cycle; returns how many levels paged.
    @discardableResult
    public func runOnce() async throws -> Int {
        var total = 0
        // Keep going while full batches come back, so a backlog drains without waiting.
        while true {
            let fired = try await store.runDueEscalations(at: now(), limit: Self.batch)
            total += fired
            if fired < Self.batch { return total }
        }
    }

    /// Escalations claimed per transaction.
    static let batch = 1_000

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "escalation cycle", service: "escalation", metrics: metrics) { try await runOnce() }
    }
}
