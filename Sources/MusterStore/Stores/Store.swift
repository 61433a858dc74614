import Foundation
import MusterCore

/// Everything Muster keeps: one protocol per domain, all implemented by `SQLStore`. Code that
/// needs one domain asks for its protocol alone; the app passes the whole around as `Stores`.
public typealias Store = StoreAdministration & IncidentStore & ServiceStore & AccessStore & AlertStore & OnCallStore & PagingStore
    & AuditStore & CommunicationStore & StatusPageStore & LearningStore & ChangeStore
    & ChecklistStore & RunbookStore

extension IncidentStore {
    /// Locks the incident, applies `change`, stores the result and the timeline entries it returns.
    public func updateIncident(
        _ key: String, _ change: @Sendable (inout Incident) throws -> [TimelineDraft]
    ) async throws -> Incident {
        try await updateIncident(key, escalation: nil, change)
    }
}
