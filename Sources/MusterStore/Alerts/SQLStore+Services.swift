import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createService(_ service: ServiceRecord) async throws -> ServiceRecord {
        try service.validate()
        return try await transaction { db in
            if try await db.raw("SELECT id FROM services WHERE id = \(bind: service.id)").first() != nil {
                throw StoreError.conflict("A service with id '\(service.id)' already exists.")
            }
            try await db.raw("""
                INSERT INTO services (id, name, description, runbook_url, created_at, alert_policy, escalation_policy)
                VALUES (\(bind: service.id), \(bind: service.name), \(bind: service.description),
                        \(bind: service.runbookURL), \(bind: service.createdAt.millis), \(bind: try DocumentCoding.encode(service.alertPolicy)),
                        \(bind: service.escalationPolicy))
                """).run()
            return service
        }
    }

    public func services() async throws -> [ServiceRecord] {
        try await read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.serviceColumns) FROM services ORDER BY id").all()
                .map(Self.decodeService)
        }
    }

    public func service(_ id: String) async throws -> ServiceRecord? {
        try await read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.serviceColumns) FROM services WHERE id = \(bind: id)")
                .first().map(Self.decodeService)
        }
    }

    public func setEscalationPolicy(_ policy: String?, for service: String) async throws -> ServiceRecord {
        try await changeService(service) { record, db in
            if let policy, try await db.raw("SELECT id FROM escalation_policies WHERE id = \(bind: policy)").first() == nil {
                throw StoreError.invalid(field: "escalationPolicy", reason: "names '\(policy)', which is not an escalation policy.")
            }
            record.escalationPolicy = policy
            try await db.raw("UPDATE services SET escalation_policy = \(bind: policy) WHERE id = \(bind: service)").run()
        }
    }

    public func setAlertPolicy(_ policy: AlertPolicy, for service: String) async throws -> ServiceRecord {
        try policy.validate()
        return try await changeService(service) { record, db in
            record.alertPolicy = policy
            try await db.raw("UPDATE services SET alert_policy = \(bind: try DocumentCoding.encode(policy)) WHERE id = \(bind: service)").run()
        }
    }

    /// Reads a service and applies `change` (which writes what it changes) in one transaction.
    func changeService(
        _ service: String, _ change: @escaping @Sendable (inout ServiceRecord, any SQLDatabase) async throws -> Void
    ) async throws -> ServiceRecord {
        try await transaction { db in
            guard var record = try await db.raw("SELECT \(unsafeRaw: Self.serviceColumns) FROM services WHERE id = \(bind: service)")
                .first().map(Self.decodeService) else {
                throw StoreError.notFound(what: "service", key: service)
            }
            try await change(&record, db)
            return record
        }
    }

    static let serviceColumns = "id, name, description, runbook_url, created_at, alert_policy, escalation_policy"

    static func decodeService(_ row: any SQLRow) throws -> ServiceRecord {
        let policy = try row.decode(column: "alert_policy", as: String?.self)
        return ServiceRecord(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            runbookURL: try row.decode(column: "runbook_url", as: String?.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            alertPolicy: try policy.map { try DocumentCoding.decode(AlertPolicy.self, from: $0) } ?? .standard,
            escalationPolicy: try row.decode(column: "escalation_policy", as: String?.self))
    }
}
