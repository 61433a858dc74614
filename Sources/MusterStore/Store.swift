import Foundation
import MusterCore

/// Everything Muster keeps, as domain operations. Each write runs in one transaction: it either
/// happens whole, timeline included, or not at all.
public protocol Store: Sendable {
    /// Where the ingestion writer runs: close to the database, so its statements come back to
    /// it without waiting for a thread that is busy with something else.
    var writerExecutor: any TaskExecutor { get }
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
    /// Locks the incident, applies `change`, stores the result and the timeline entries it returns;
    /// with `escalation`, also changes the incident's running escalation in the same transaction,
    /// and fails whole when it has none.
    func updateIncident(
        _ key: String, escalation: (@Sendable (inout Escalation, Incident) throws -> Void)?,
        _ change: @Sendable (inout Incident) throws -> [TimelineDraft]
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

    /// Replaces how a service turns alerts into incidents.
    func setAlertPolicy(_ policy: AlertPolicy, for service: String) async throws -> ServiceRecord

    /// Creates an integration for a service; returns it with its key, shown once.
    func createIntegration(service: String, kind: IntegrationKind, name: String, at now: Date) async throws -> (Integration, String)
    /// Integrations, optionally of one service, revoked ones included.
    func integrations(service: String?) async throws -> [Integration]
    /// Replaces an integration's key; the old key stops working at once.
    func rotateIntegration(_ id: UUID, at now: Date) async throws -> (Integration, String)
    /// Revokes an integration; its key stops working.
    func revokeIntegration(_ id: UUID, at now: Date) async throws -> Integration
    /// The live integration whose key this is; nil for unknown or revoked keys.
    func integration(forKey key: String) async throws -> Integration?

    /// Applies alert events from one integration in one transaction: dedup, silences, grouping into
    /// incidents, resolution. Nothing is stored unless all of them are.
    func ingest(
        _ events: [AlertEvent], via integration: Integration, scheme: SeverityScheme, mapping: SeverityMapping, at now: Date
    ) async throws -> [IngestOutcome]
    /// Applies several requests' events in one transaction (group commit): one commit for all.
    /// Nothing is stored unless all of them are; the outcomes come back per request, in order.
    func ingest(
        _ requests: [IngestRequest], scheme: SeverityScheme, mapping: SeverityMapping, at now: Date
    ) async throws -> [[IngestOutcome]]
    /// Alerts, newest activity first.
    func alerts(_ query: AlertQuery) async throws -> [Alert]

    /// Stores a silence.
    func createSilence(_ silence: Silence) async throws -> Silence
    /// Silences; expired ones only when asked.
    func silences(includeExpired: Bool, at now: Date) async throws -> [Silence]
    /// Ends a silence now.
    func expireSilence(_ id: UUID, at now: Date) async throws -> Silence
    /// Alerts that a silence held back and that still fire after it ended, at most `limit` of
    /// them: each joins or opens an incident as a new alert would (and so pages), unless another
    /// silence in force holds it now. Returns what became of each (change `released`).
    func releaseHeldAlerts(scheme: SeverityScheme, mapping: SeverityMapping, at now: Date, limit: Int) async throws -> [IngestOutcome]

    /// Stores a new user; the id must be unused.
    func createUser(_ user: User) async throws -> User
    func users() async throws -> [User]
    func user(_ id: String) async throws -> User?
    func addContactMethod(_ method: ContactMethod, to user: String) async throws -> User
    /// Marks a contact method as proven to work.
    func verifyContactMethod(_ id: UUID, of user: String, at now: Date) async throws -> User
    /// Stores a new team; every member must be a user.
    func createTeam(_ team: Team) async throws -> Team
    func teams() async throws -> [Team]
    func team(_ id: String) async throws -> Team?
    /// Stores a new schedule; everyone it names must be a user.
    func createSchedule(_ schedule: ScheduleRecord) async throws -> ScheduleRecord
    func schedules() async throws -> [ScheduleRecord]
    func schedule(_ id: String) async throws -> ScheduleRecord?
    /// Changes a schedule's layers or overrides in one transaction.
    func updateSchedule(_ id: String, at now: Date, _ change: @escaping @Sendable (inout Schedule) throws -> Void) async throws -> ScheduleRecord

    /// Stores an escalation policy; every target must exist.
    func createEscalationPolicy(_ policy: EscalationPolicy, at now: Date) async throws -> EscalationPolicy
    func escalationPolicies() async throws -> [EscalationPolicy]
    func escalationPolicy(_ id: String) async throws -> EscalationPolicy?
    /// Sets (or clears) the policy that pages for a service's new incidents.
    func setEscalationPolicy(_ policy: String?, for service: String) async throws -> ServiceRecord
    /// The escalation running for an incident, if its service had a policy when it opened.
    func escalation(of incidentID: UUID) async throws -> Escalation?
    /// One engine cycle of escalations; returns how many levels paged.
    func runDueEscalations(at now: Date, limit: Int) async throws -> Int
    /// Claims due notifications for delivery.
    func claimNotifications(at now: Date, limit: Int, lease: TimeInterval) async throws -> [Page]
    /// Records many delivery results in one transaction.
    func completeNotifications(_ results: [PageResult], at now: Date, maxAttempts: Int) async throws -> [Page]
    /// Records a delivery attempt's result.
    func completeNotification(_ id: UUID, result: DeliveryResult, at now: Date, retryAfter: TimeInterval, maxAttempts: Int) async throws -> Page
    /// The notifications sent for an incident.
    func notifications(of incidentID: UUID) async throws -> [Page]
    /// One page by id.
    func page(_ id: UUID) async throws -> Page?
    /// Hands an incident to other people, schedules or policy; they are paged at once.
    func reassign(_ key: String, to assignment: Reassignment, note: String?, by author: String, at now: Date) async throws -> Incident

    /// The handoff summary for whoever is on call on a schedule at `date`; nil for an unknown schedule.
    func handoffSummary(schedule id: String, at date: Date) async throws -> HandoffSummary?
    /// Queues a summary to the incoming person for every handoff in `(now - lookback, now]` not
    /// queued before; returns the summaries queued by this call.
    func queueHandoffSummaries(at now: Date, lookback: TimeInterval) async throws -> [HandoffSummary]
    /// The handoffs whose summaries were queued for a schedule, newest first.
    func handoffs(schedule id: String, limit: Int) async throws -> [HandoffRecord]
}

extension Store {
    /// Locks the incident, applies `change`, stores the result and the timeline entries it returns.
    public func updateIncident(
        _ key: String, _ change: @Sendable (inout Incident) throws -> [TimelineDraft]
    ) async throws -> Incident {
        try await updateIncident(key, escalation: nil, change)
    }
}
