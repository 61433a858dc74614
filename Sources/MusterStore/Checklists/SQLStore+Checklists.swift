import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func checklistMarks(of incidentID: UUID) async throws -> [ChecklistMark] {
        try await read { db in try await Self.checklistMarks(of: incidentID, on: db) }
    }

    public func markChecklist(
        _ key: String, _ change: @escaping @Sendable (Incident, [ChecklistMark]) throws -> (ChecklistMark, TimelineDraft)
    ) async throws -> (Incident, ChecklistMark) {
        try await transaction { db in
            guard var incident = try await Self.loadIncident(key, lock: self.dialect.lockRowSuffix, on: db) else {
                throw StoreError.notFound(what: "incident", key: key)
            }
            let (mark, entry) = try change(incident, try await Self.checklistMarks(of: incident.id, on: db))
            try await db.raw(
                """
                INSERT INTO checklist_marks (incident_id, item, document)
                VALUES (\(bind: incident.id.uuidString), \(bind: mark.key), \(bind: try DocumentCoding.encode(mark)))
                ON CONFLICT (incident_id, item) DO UPDATE SET document = excluded.document
                """
            ).run()
            // Pages watching the incident hear of the tick.
            incident.updatedAt = max(incident.updatedAt, entry.at)
            let final = incident
            try await self.writing(on: db) { writes in try Self.save(final, appending: [entry], into: writes) }
            return (incident, mark)
        }
    }

    static func checklistMarks(of incidentID: UUID, on db: any SQLDatabase) async throws -> [ChecklistMark] {
        try await db.raw("SELECT document FROM checklist_marks WHERE incident_id = \(bind: incidentID.uuidString)").all()
            .map { try DocumentCoding.decode(ChecklistMark.self, from: $0.decode(column: "document", as: String.self)) }
    }
}
