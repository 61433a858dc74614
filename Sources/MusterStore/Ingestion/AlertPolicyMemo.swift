import MusterCore
import Synchronization

/// The alert policy each service had when an ingest transaction last read it. A transaction
/// computes its incident lookups from these, so that it can send them together with the read of
/// the services themselves; when a policy read differs, what it found for that service's groups
/// is forgotten and looked up again with the new one (`IngestReads.forgetGroups`).
final class AlertPolicyMemo: Sendable {
    private let policies = Mutex<[String: AlertPolicy]>([:])

    /// The policies of all of `services`, or nil when one was never read.
    func policies(of services: Set<String>) -> [String: AlertPolicy]? {
        policies.withLock { known in
            var found: [String: AlertPolicy] = [:]
            for service in services {
                guard let policy = known[service] else { return nil }
                found[service] = policy
            }
            return found
        }
    }

    func remember(_ services: [String: ServiceRecord]) {
        policies.withLock { known in
            for (id, service) in services { known[id] = service.alertPolicy }
        }
    }
}
