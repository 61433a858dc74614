import Foundation
import MusterCore

/// The public status page: its components and groups, maintenance, the history of each
/// component's status, its settings, and the incidents published on it.
public protocol StatusPageStore: Sendable {
    func createStatusComponent(_ component: StatusComponent, at now: Date) async throws -> StatusComponent
    /// Every component, in page order (position, then id).
    func statusComponents() async throws -> [StatusComponent]
    func statusComponent(_ id: String) async throws -> StatusComponent?
    func replaceStatusComponent(_ component: StatusComponent) async throws -> StatusComponent
    /// Deletes a component and its status history; maintenance naming it is refused first.
    func deleteStatusComponent(_ id: String) async throws

    func createStatusGroup(_ group: StatusComponentGroup) async throws -> StatusComponentGroup
    /// Every group, in page order.
    func statusGroups() async throws -> [StatusComponentGroup]
    func replaceStatusGroup(_ group: StatusComponentGroup) async throws -> StatusComponentGroup
    /// Deletes a group no component is in.
    func deleteStatusGroup(_ id: String) async throws

    /// The page's settings, nil until someone saved some.
    func statusPageSettings() async throws -> StatusPageSettings?
    func saveStatusPageSettings(_ settings: StatusPageSettings) async throws -> StatusPageSettings

    /// Stores a new maintenance; every component it names must exist.
    func createMaintenance(_ maintenance: Maintenance) async throws -> Maintenance
    func maintenance(_ id: UUID) async throws -> Maintenance?
    /// Maintenance not completed, and completed maintenance that ended since `endedSince`; soonest first.
    func maintenances(endedSince: Date) async throws -> [Maintenance]
    /// Locks a maintenance, applies `change` and stores the result, in one transaction.
    func updateMaintenance(_ id: UUID, _ change: @escaping @Sendable (inout Maintenance) throws -> Void) async throws -> Maintenance
    func deleteMaintenance(_ id: UUID) async throws
    /// Moves every maintenance whose time has come; each is claimed by one server. Returns them
    /// with the updates they posted.
    func advanceMaintenances(at now: Date) async throws -> [(Maintenance, [MaintenanceUpdate])]

    /// Records each component's status now: an interval that ends when the status changes, and a
    /// new one for a status other than operational. Returns the components whose status changed,
    /// with their previous status. Several servers may call it at once.
    /// `notice` writes what webhook subscribers are told of each change, queued in the same transaction.
    func recordComponentStates(
        _ states: [String: ComponentState], at now: Date,
        notice: (@Sendable (String, ComponentStatus, ComponentState) -> StatusNotice?)?
    ) async throws -> [(component: String, from: ComponentStatus, to: ComponentState)]
    /// The recorded intervals that were still open at or ended after `since`.
    func statusIntervals(since: Date) async throws -> [StatusInterval]

    /// The incidents on the page: open ones with an external update, and those resolved since
    /// `resolvedSince`, newest first.
    func publicIncidents(resolvedSince: Date, rollup: StatusRollup) async throws -> [PublicIncident]
    /// Adds a subscriber, or finds the one with the same address; queues `confirmation` to an
    /// address not yet confirmed, in the same transaction.
    func subscribe(_ subscriber: Subscriber, confirmation: StatusNotice?) async throws -> Subscriber
    func confirmSubscriber(_ id: UUID, at now: Date) async throws -> Subscriber
    /// Every subscriber, oldest first.
    func subscribers() async throws -> [Subscriber]
    func subscriber(_ id: UUID) async throws -> Subscriber?
    /// Removes a subscriber and whatever was still queued for it.
    func removeSubscriber(_ id: UUID) async throws
    /// The messages queued for a subscriber, newest first, delivered or not.
    func subscriberDeliveries(_ id: UUID, limit: Int) async throws -> [Page]
    /// Tells subscribers of the external updates published since each incident was last told:
    /// `render` writes the notices of the new updates (their entry ids given) from the incident's
    /// updates and severity changes. Each incident is claimed by one server; returns the messages queued.
    func runSubscriberNotices(
        changedSince: Date, at now: Date, render: @escaping @Sendable (Incident, [TimelineEntry], Set<UUID>) -> [StatusNotice]
    ) async throws -> Int
    /// Tells subscribers of the maintenance messages not yet told, as `render` writes them (nil: not told).
    func runMaintenanceNotices(
        changedSince: Date, at now: Date, render: @escaping @Sendable (Maintenance, MaintenanceUpdate) -> StatusNotice?
    ) async throws -> Int

    /// A value that differs whenever anything the page shows may have changed.
    func statusPageStamp() async throws -> String
}
