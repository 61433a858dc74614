import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func updateService(_ id: String, _ edit: ServiceEdit) async throws -> ServiceRecord {
        try await changeService(id) { record, db in
            try edit.apply(to: &record)
            try await db.raw(
                """
                UPDATE services SET name = \(bind: record.name), description = \(bind: record.description),
                    runbook_url = \(bind: record.runbookURL)
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func deleteService(_ id: String) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT id FROM services WHERE id = \(bind: id)\(unsafeRaw: self.dialect.lockRowSuffix)").first() != nil
            else {
                throw StoreError.notFound(what: "service", key: id)
            }
            var references = References()
            let incidents = try await db.raw(
                """
                SELECT i.reference FROM incident_services s JOIN incidents i ON i.id = s.incident_id
                WHERE s.service = \(bind: id) ORDER BY i.detected_at DESC LIMIT 3
                """
            ).all().map { try $0.decode(column: "reference", as: String.self) }
            references.add("incident", count: try await Self.count("incident_services", "service", id, on: db), names: incidents)
            let integrations = try await db.raw("SELECT name FROM integrations WHERE service = \(bind: id) ORDER BY name LIMIT 3").all()
                .map { try $0.decode(column: "name", as: String.self) }
            references.add("integration", count: try await Self.count("integrations", "service", id, on: db), names: integrations)
            references.add("alert", count: try await Self.count("alerts", "service", id, on: db), names: [])
            guard references.isEmpty else {
                throw StoreError.conflict(
                    "Service '\(id)' is still referred to by \(references.text); only a service nothing refers to can be deleted.")
            }
            try await db.raw("DELETE FROM services WHERE id = \(bind: id)").run()
        }
    }

    /// Rows of `table` whose `column` holds `value`.
    static func count(_ table: String, _ column: String, _ value: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(ident: column) = \(bind: value)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
