import Foundation
import MusterCore

/// Services, and how each turns alerts into incidents and who is paged for them.
public protocol ServiceStore: Sendable {
    /// Stores a new service; its id must be unused.
    func createService(_ service: ServiceRecord) async throws -> ServiceRecord
    /// All services, ordered by id.
    func services() async throws -> [ServiceRecord]
    /// The service with this id, if any.
    func service(_ id: String) async throws -> ServiceRecord?
    /// Replaces how a service turns alerts into incidents.
    func setAlertPolicy(_ policy: AlertPolicy, for service: String) async throws -> ServiceRecord
    /// Sets (or clears) the policy that pages for a service's new incidents.
    func setEscalationPolicy(_ policy: String?, for service: String) async throws -> ServiceRecord
    /// Sets the service's policy and, in the same transaction, starts it for the service's open
    /// incidents that are still triggered and have no escalation running: they are paged now, as a
    /// new incident would be. Returns the service and the references of the incidents it paged.
    func setEscalationPolicy(
        _ policy: String, for service: String, pagingOpenIncidents scheme: SeverityScheme, at now: Date
    ) async throws -> (ServiceRecord, [String])
    /// Changes a service's name, description or runbook link.
    func updateService(_ id: String, _ edit: ServiceEdit) async throws -> ServiceRecord
    /// Removes a service that no incident, integration or alert refers to; otherwise fails with a
    /// conflict that names what does.
    func deleteService(_ id: String) async throws
}
