import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Reminds people of what follows an incident: the post-mortem's owner as its due date nears,
/// when it passes and at the follow-up review; action items' owners before their due date and
/// daily once overdue, the incident commander too after some days. Any number of servers may run
/// it: each record is claimed once.
public struct FollowUpEngine: Service {
    let store: any LearningStore
    let rules: FollowUpRules
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    public init(
        store: any LearningStore, rules: FollowUpRules = FollowUpRules(), interval: Duration = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger, metrics: MusterMetrics = .none
    ) {
        self.store = store
        self.rules = rules
        self.interval = interval
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    /// Sends what is due; returns the reminders.
    @discardableResult
    public func runOnce() async throws -> [FollowUp] {
        let sent = try await store.runFollowUps(rules, at: now())
        for reminder in sent {
            logger.info("follow-up reminder", metadata: ["kind": "\(reminder.kind.rawValue)", "recipient": "\(reminder.recipient)"])
        }
        return sent
    }

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "follow-ups", service: "follow_ups", metrics: metrics) {
            try await runOnce()
        }
    }
}
