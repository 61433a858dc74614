import Foundation
import MusterCore
import SQLKit

/// Multi-row writes for the engine: a cycle touches hundreds of rows, and a statement per row
/// costs more in round trips than the work itself.
extension SQLStore {
    /// Rows per statement: well under both databases' limits on bound parameters.
    static let rowsPerStatement = 400

    /// Inserts new outbox rows.
    static func insertNotifications(_ pages: [Page], on db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: pages.count, by: rowsPerStatement) {
            var rows = SQLValueRows(width: 8, rows: rowsPerStatement)
            for page in pages[start..<min(start + rowsPerStatement, pages.count)] {
                rows.append(
                    page.id.uuidString, page.incidentID?.uuidString, page.user, page.status.rawValue,
                    page.dueAt.millis, page.attempts, try DocumentCoding.encode(page), page.createdAt.millis)
            }
            try await db.raw("""
                INSERT INTO notifications (id, incident_id, user_id, status, due_at, attempts, document, created_at)
                VALUES \(rows)
                """).run()
        }
    }

    /// Inserts or replaces running escalations.
    static func upsertEscalations(_ escalations: [Escalation], on db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: escalations.count, by: rowsPerStatement) {
            var rows = SQLValueRows(width: 3, rows: rowsPerStatement)
            for escalation in escalations[start..<min(start + rowsPerStatement, escalations.count)] {
                rows.append(escalation.incidentID.uuidString, escalation.dueAt?.millis, try DocumentCoding.encode(escalation))
            }
            try await db.raw("""
                INSERT INTO escalations (incident_id, due_at, document) VALUES \(rows)
                ON CONFLICT (incident_id) DO UPDATE SET due_at = excluded.due_at, document = excluded.document
                """).run()
        }
    }

    /// Appends entries to many incidents' timelines, each after its incident's last entry.
    /// `lock` locks the incidents first (in id order, so two writers cannot deadlock), since two
    /// transactions must not number entries of one incident at the same time.
    static func appendTimelines(_ entries: [(UUID, TimelineDraft)], lock: String, on db: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        let ids = Array(Set(entries.map { $0.0.text })).sorted()
        var last: [String: Int] = [:]
        for start in stride(from: 0, to: ids.count, by: rowsPerStatement) {
            let chunk = Array(ids[start..<min(start + rowsPerStatement, ids.count)])
            if !lock.isEmpty {
                _ = try await db.raw("SELECT id FROM incidents WHERE id IN (\(binds: chunk)) ORDER BY id\(unsafeRaw: lock)").all()
            }
            // One MAX per incident: each is a single index lookup, where MAX … GROUP BY would read
            // every entry of a long-running incident.
            let lookups = chunk.map { id -> SQLQueryString in
                "SELECT \(bind: id) AS incident_id, (SELECT MAX(position) FROM timeline_entries WHERE incident_id = \(bind: id)) AS last"
            }
            for row in try await db.raw("\(lookups.joined(separator: " UNION ALL "))").all() {
                if let value = try row.decode(column: "last", as: Int?.self) {
                    last[try row.decode(column: "incident_id", as: String.self)] = value
                }
            }
        }
        for start in stride(from: 0, to: entries.count, by: rowsPerStatement) {
            var rows = SQLValueRows(width: 8, rows: rowsPerStatement)
            for (incidentID, draft) in entries[start..<min(start + rowsPerStatement, entries.count)] {
                let key = incidentID.text
                let position = (last[key] ?? 0) + 1
                last[key] = position
                rows.append(
                    TimeOrderedID.make(at: draft.at).text, key, position, draft.kind.rawValue, draft.at.millis,
                    draft.author, draft.text, JSONText.object(draft.details))
            }
            try await db.raw("""
                INSERT INTO timeline_entries (id, incident_id, position, kind, at, author, body, details)
                VALUES \(rows)
                """).run()
        }
    }
}
