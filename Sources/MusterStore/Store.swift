import Foundation
import MusterCore

/// Everything Muster keeps, as domain operations. Each write runs in one transaction: it either
/// happens whole, timeline included, or not at all.
public protocol Store: Sendable {
    /// Applies the migrations not yet applied; returns the versions it applied.
    @discardableResult func migrate() async throws -> [Int]
    /// Versions of the migrations the database has applied.
    func appliedMigrations() async throws -> [Int]
    /// Fails when the database cannot be reached.
    func ping() async throws
    /// Releases connections; the store is unusable afterwards.
    func shutdown() async throws

    /// Numbers and stores a new incident with its first timeline entries.
    func declareIncident(
        _ declaration: IncidentDeclaration, scheme: SeverityScheme, by author: String, at now: Date
    ) async throws -> Incident
    /// The incident with this reference (`INC-2026-0001`) or UUID, if any.
    func incident(_ key: String) async throws -> Incident?
    /// A filtered, paginated list, newest detection first.
    func listIncidents(_ query: IncidentQuery) async throws -> IncidentPage
    /// Locks the incident, applies `change`, stores the result and the timeline entries it returns.
    func updateIncident(
        _ key: String, _ change: @Sendable (inout Incident) throws -> [TimelineDraft]
    ) async throws -> Incident
    /// The timeline of an incident, oldest first.
    func timeline(of incidentID: UUID) async throws -> [TimelineEntry]
    /// Moves a hypothesis entry to a new state and notes the change on the timeline.
    func settleHypothesis(
        incident key: String, entry entryID: UUID, as state: HypothesisState, by author: String, at now: Date
    ) async throws -> TimelineEntry

    /// Stores a new service; its id must be unused.
    func createService(_ service: ServiceRecord) async throws -> ServiceRecord
    /// All services, ordered by id.
    func services() async throws -> [ServiceRecord]
    /// The service with this id, if any.
    func service(_ id: String) async throws -> ServiceRecord?

    /// Creates a token and returns it with its secret, which is not kept and cannot be shown again.
    func createToken(name: String, role: TokenRole, at now: Date) async throws -> (APIToken, String)
    /// All tokens, revoked ones included, oldest first.
    func tokens() async throws -> [APIToken]
    /// Revokes a token by id or name; revoking twice is an error.
    func revokeToken(_ idOrName: String, at now: Date) async throws -> APIToken
    /// The live token whose secret this is, marking it used; nil for unknown or revoked secrets.
    func authenticate(secret: String, at now: Date) async throws -> APIToken?
}
