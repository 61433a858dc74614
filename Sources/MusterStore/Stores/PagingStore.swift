import Foundation
import MusterCore

/// Running escalations and the notification outbox.
public protocol PagingStore: Sendable {
    /// The escalation running for an incident, if its service had a policy when it opened.
    func escalation(of incidentID: UUID) async throws -> Escalation?
    /// One engine cycle of escalations; returns how many levels paged.
    func runDueEscalations(at now: Date, limit: Int) async throws -> Int
    /// How much the outbox holds undelivered, and since when the oldest due one waits.
    func outboxSummary() async throws -> OutboxSummary
    /// Claims due notifications for delivery.
    func claimNotifications(at now: Date, limit: Int, lease: TimeInterval) async throws -> [Page]
    /// Records many delivery results in one transaction.
    func completeNotifications(_ results: [PageResult], at now: Date, maxAttempts: Int) async throws -> [Page]
    /// Records a delivery attempt's result.
    func completeNotification(_ id: UUID, result: DeliveryResult, at now: Date, retryAfter: TimeInterval, maxAttempts: Int) async throws
        -> Page
    /// The notifications sent for an incident.
    func notifications(of incidentID: UUID) async throws -> [Page]
    /// One page by id.
    func page(_ id: UUID) async throws -> Page?
    /// Hands an incident to other people, schedules or policy; they are paged at once.
    func reassign(_ key: String, to assignment: Reassignment, note: String?, by author: String, at now: Date) async throws -> Incident
    /// Sends the reminders the update clocks of open incidents call for at `now` (see
    /// `Incident.dueUpdateReminders`), each once even with several servers: pages to the people
    /// told, the escalation moved on for an overdue update, and the timeline entries. `grace` is
    /// the fraction of the cadence an update may be late before it is overdue. Returns how many.
    func runDueUpdateReminders(scheme: SeverityScheme, grace: Double, at now: Date) async throws -> Int
}
