import Foundation
import MusterCore

/// Integrations, alert ingestion and silences.
public protocol AlertStore: Sendable {
    /// Creates an integration for a service; returns it with its key, shown once.
    func createIntegration(service: String, kind: IntegrationKind, name: String, at now: Date) async throws -> (Integration, String)
    /// Integrations, optionally of one service, revoked ones included.
    func integrations(service: String?) async throws -> [Integration]
    /// One integration by id, revoked or not.
    func integration(id: UUID) async throws -> Integration?
    /// Gives an integration a new name; its key does not change.
    func renameIntegration(_ id: UUID, to name: String) async throws -> Integration
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
    /// How many alerts match the query's filters, whatever its page.
    func countAlerts(_ query: AlertQuery) async throws -> Int
    /// Stores a silence.
    func createSilence(_ silence: Silence) async throws -> Silence
    /// Silences; expired ones only when asked.
    func silences(includeExpired: Bool, at now: Date) async throws -> [Silence]
    /// Moves the end of a silence that has not ended: later to extend it, earlier to shorten it.
    func rescheduleSilence(_ id: UUID, endsAt: Date, at now: Date) async throws -> Silence
    /// Ends a silence now.
    func expireSilence(_ id: UUID, at now: Date) async throws -> Silence
    /// Alerts that a silence held back and that still fire after it ended, at most `limit` of
    /// them: each joins or opens an incident as a new alert would (and so pages), unless another
    /// silence in force holds it now. Returns what became of each (change `released`).
    func releaseHeldAlerts(scheme: SeverityScheme, mapping: SeverityMapping, at now: Date, limit: Int) async throws -> [IngestOutcome]
    /// Starts `work`, the serial ingestion writer's loop, where this store's transactions run best
    /// (next to the database connections), so the writer's statements never queue behind request
    /// handling. Where that is stays the store's business.
    func startWriter(_ work: @escaping @Sendable () async -> Void)
}
