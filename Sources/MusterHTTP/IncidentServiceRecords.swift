import Foundation
import MusterCore
import MusterStore

extension APIEnvironment {
    /// The records of the services `incident` names that still exist, in its order: read once by
    /// the incident page for its changes, roles and runbooks.
    func serviceRecords(of incident: Incident) async throws -> [ServiceRecord] {
        var records: [ServiceRecord] = []
        for id in incident.services {
            if let record = try await stores.services.service(id) { records.append(record) }
        }
        return records
    }
}
