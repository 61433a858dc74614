import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Keeps status updates on their cadence: reminds whoever writes them when one falls due, and
/// when one is missed by the grace tells the commander and moves the escalation on. The store
/// claims each incident, so several servers remind once.
public struct UpdateReminderEngine: Service {
    let store: any PagingStore
    let scheme: SeverityScheme
    /// The share of the cadence an update may be late before it is overdue.
    let grace: Double
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    /// A third of the cadence: five minutes on a P1's fifteen.
    public static let defaultGrace = 1.0 / 3

    public init(
        store: any PagingStore, scheme: SeverityScheme, grace: Double = Self.defaultGrace, interval: Duration = .seconds(15),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger, metrics: MusterMetrics = .none
    ) {
        self.store = store
        self.scheme = scheme
        self.grace = grace
        self.interval = interval
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    /// Sends the reminders due now; returns how many.
    @discardableResult
    public func runOnce() async throws -> Int {
        let sent = try await store.runDueUpdateReminders(scheme: scheme, grace: grace, at: now())
        if sent > 0 { logger.info("status update reminders sent", metadata: ["count": "\(sent)"]) }
        return sent
    }

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "update reminders", service: "update_reminders", metrics: metrics) {
            try await runOnce()
        }
    }
}
