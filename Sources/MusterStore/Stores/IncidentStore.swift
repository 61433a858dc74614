import Foundation
import MusterCore

/// Incidents and their timelines. Each write runs in one transaction: it happens whole, timeline
/// included, or not at all.
public protocol IncidentStore: Sendable {
    /// Numbers and stores a new incident with its first timeline entries.
    func declareIncident(
        _ declaration: IncidentDeclaration, scheme: SeverityScheme, by author: String, at now: Date
    ) async throws -> Incident
    /// The incident with this reference (`INC-2026-0001`) or UUID, if any.
    func incident(_ key: String) async throws -> Incident?
    /// A filtered, paginated list, newest detection first.
    func listIncidents(_ query: IncidentQuery) async throws -> IncidentPage
    /// Locks the incident, applies `change`, stores the result and the timeline entries it returns;
    /// with `escalation`, also changes the incident's running escalation in the same transaction,
    /// and fails whole when it has none.
    func updateIncident(
        _ key: String, escalation: (@Sendable (inout Escalation, Incident) throws -> Void)?,
        _ change: @Sendable (inout Incident) throws -> [TimelineDraft]
    ) async throws -> Incident
    /// The severity and target times of every incident not yet resolved, for the gauges.
    func openIncidentClocks() async throws -> [OpenIncidentClock]
    /// The timeline of an incident, oldest first.
    func timeline(of incidentID: UUID) async throws -> [TimelineEntry]
    /// Moves a hypothesis entry to a new state and notes the change on the timeline.
    func settleHypothesis(
        incident key: String, entry entryID: UUID, as state: HypothesisState, by author: String, at now: Date
    ) async throws -> TimelineEntry
    /// A value that differs whenever an incident, its alerts or its pages changed since the last
    /// read: compared by the live pages, never read for its parts.
    func changeStamp() async throws -> String
}
