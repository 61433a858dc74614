import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func updateService(_ id: String, _ edit: ServiceEdit) async throws -> ServiceRecord {
        try await changeService(id) { record, db in
            try edit.apply(to: &record)
            try await Self.requireServices(record.dependsOn, field: "dependsOn", on: db)
            try await db.raw(
                """
                UPDATE services SET name = \(bind: record.name), description = \(bind: record.description),
                    runbook_url = \(bind: record.runbookURL), depends_on = \(bind: try Self.dependsOnColumn(record.dependsOn)),
                    response_size = \(bind: record.responseSize?.rawValue), alert_policy = \(bind: try DocumentCoding.encode(record.alertPolicy))
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
            references.add("change", count: try await Self.count("change_events", "service", id, on: db), names: [])
            let dependents = try await db.raw("SELECT id, depends_on FROM services WHERE depends_on IS NOT NULL ORDER BY id").all()
                .filter { try Self.decodeDependsOn($0.decode(column: "depends_on", as: String?.self)).contains(id) }
                .map { try $0.decode(column: "id", as: String.self) }
            references.add("service", count: dependents.count, names: Array(dependents.prefix(3)))
            guard references.isEmpty else {
                throw StoreError.conflict(
                    "Service '\(id)' is still referred to by \(references.text); only a service nothing refers to can be deleted.")
            }
            try await db.raw("DELETE FROM services WHERE id = \(bind: id)").run()
        }
    }

    /// Every name must be a service.
    static func requireServices(_ names: [String], field: String, on db: any SQLDatabase) async throws {
        guard !names.isEmpty else { return }
        let known = Set(try await db.raw("SELECT id FROM services WHERE id IN (\(binds: names))").all().map { try $0.decode(column: "id", as: String.self) })
        if let missing = names.first(where: { !known.contains($0) }) {
            throw StoreError.invalid(field: field, reason: "names '\(missing)', which is not a service.")
        }
    }

    /// The `depends_on` column of a list: NULL for none.
    static func dependsOnColumn(_ list: [String]) throws -> String? {
        list.isEmpty ? nil : try DocumentCoding.encode(list)
    }

    static func decodeDependsOn(_ column: String?) throws -> [String] {
        try column.map { try DocumentCoding.decode([String].self, from: $0) } ?? []
    }

    /// Rows of `table` whose `column` holds `value`.
    static func count(_ table: String, _ column: String, _ value: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(ident: column) = \(bind: value)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
