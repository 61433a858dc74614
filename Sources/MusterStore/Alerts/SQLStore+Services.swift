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
            try await Self.requireServices(service.dependsOn, field: "dependsOn", on: db)
            try await db.raw(
                """
                INSERT INTO services (id, name, description, runbook_url, created_at, alert_policy, escalation_policy, depends_on, response_size)
                VALUES (\(bind: service.id), \(bind: service.name), \(bind: service.description),
                        \(bind: service.runbookURL), \(bind: service.createdAt.millis), \(bind: try DocumentCoding.encode(service.alertPolicy)),
                        \(bind: service.escalationPolicy), \(bind: try Self.dependsOnColumn(service.dependsOn)),
                        \(bind: service.responseSize?.rawValue))
                """
            ).run()
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

    public func setEscalationPolicy(
        _ policy: String, for service: String, pagingOpenIncidents scheme: SeverityScheme, at now: Date
    ) async throws -> (ServiceRecord, [String]) {
        let lock = dialect.lockRowSuffix
        let logger = logger
        return try await transaction { db, tally in
            guard try await db.raw("SELECT id FROM services WHERE id = \(bind: service)\(unsafeRaw: lock)").first() != nil else {
                throw StoreError.notFound(what: "service", key: service)
            }
            guard try await db.raw("SELECT id FROM escalation_policies WHERE id = \(bind: policy)").first() != nil else {
                throw StoreError.invalid(field: "escalationPolicy", reason: "names '\(policy)', which is not an escalation policy.")
            }
            try await db.raw("UPDATE services SET escalation_policy = \(bind: policy) WHERE id = \(bind: service)").run()
            // Triggered incidents of the service whose escalation is not running: never started
            // (no policy when they opened) or ended (ran out).
            let rows = try await db.raw(
                """
                SELECT i.reference FROM incidents i JOIN incident_services s ON s.incident_id = i.id
                WHERE s.service = \(bind: service) AND i.status = 'triggered'
                  AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.incident_id = i.id AND e.due_at IS NOT NULL)
                ORDER BY i.detected_at
                """
            ).all()
            let paging = PagingBatch(db: db, now: now, logger: logger, tally: tally)
            var paged: [String] = []
            for row in rows {
                guard let incident = try await Self.loadIncident(try row.decode(column: "reference", as: String.self), lock: lock, on: db)
                else { continue }
                try await paging.start(incident, scheme: scheme, at: now)
                paged.append(incident.reference)
            }
            try await self.writing(on: db) { try await paging.flush(lock: "", into: $0) }
            guard
                let record = try await db.raw("SELECT \(unsafeRaw: Self.serviceColumns) FROM services WHERE id = \(bind: service)")
                    .first().map(Self.decodeService)
            else { throw StoreError.notFound(what: "service", key: service) }
            return (record, paged)
        }
    }

    public func setAlertPolicy(_ policy: AlertPolicy, for service: String) async throws -> ServiceRecord {
        try policy.validate()
        return try await changeService(service) { record, db in
            record.alertPolicy = policy
            try await db.raw("UPDATE services SET alert_policy = \(bind: try DocumentCoding.encode(policy)) WHERE id = \(bind: service)")
                .run()
        }
    }

    /// Reads a service and applies `change` (which writes what it changes) in one transaction.
    func changeService(
        _ service: String, _ change: @escaping @Sendable (inout ServiceRecord, any SQLDatabase) async throws -> Void
    ) async throws -> ServiceRecord {
        try await transaction { db in
            guard
                var record = try await db.raw("SELECT \(unsafeRaw: Self.serviceColumns) FROM services WHERE id = \(bind: service)")
                    .first().map(Self.decodeService)
            else {
                throw StoreError.notFound(what: "service", key: service)
            }
            try await change(&record, db)
            return record
        }
    }

    static let serviceColumns = "id, name, description, runbook_url, created_at, alert_policy, escalation_policy, depends_on, response_size"

    static func decodeService(_ row: any SQLRow) throws -> ServiceRecord {
        let policy = try row.decode(column: "alert_policy", as: String?.self)
        return ServiceRecord(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            runbookURL: try row.decode(column: "runbook_url", as: String?.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            alertPolicy: try policy.map { try DocumentCoding.decode(AlertPolicy.self, from: $0) } ?? .standard,
            escalationPolicy: try row.decode(column: "escalation_policy", as: String?.self),
            dependsOn: try decodeDependsOn(row.decode(column: "depends_on", as: String?.self)),
            responseSize: try row.decode(column: "response_size", as: String?.self).flatMap(ResponseSize.init(rawValue:)))
    }
}
