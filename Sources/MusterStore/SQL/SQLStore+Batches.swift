import Foundation
import MusterCore
import SQLKit

/// Multi-row writes for the engine: a cycle touches hundreds of rows, and a statement per row
/// costs more in round trips than the work itself.
extension SQLStore {
    /// Rows per statement: well under both databases' limits on bound parameters.
    static let rowsPerStatement = 400

    /// Queues inserts of new outbox rows.
    static func insertNotifications(_ pages: [Page], into writes: WriteBatch) throws {
        for start in stride(from: 0, to: pages.count, by: rowsPerStatement) {
            var rows = SQLValueRows(width: 8, rows: rowsPerStatement, for: writes.dialect)
            for page in pages[start..<min(start + rowsPerStatement, pages.count)] {
                rows.append(
                    page.id.uuidString, page.incidentID?.uuidString, page.user, page.status.rawValue,
                    page.dueAt.millis, page.attempts, try DocumentCoding.encode(page), page.createdAt.millis)
            }
            writes.add(
                """
                INSERT INTO notifications (id, incident_id, user_id, status, due_at, attempts, document, created_at)
                \(rows)
                """, binds: rows.bindCount, writes: "notifications")
        }
    }

    /// Queues inserts or replacements of running escalations.
    static func upsertEscalations(_ escalations: [Escalation], into writes: WriteBatch) throws {
        for start in stride(from: 0, to: escalations.count, by: rowsPerStatement) {
            var rows = SQLValueRows(width: 3, rows: rowsPerStatement, for: writes.dialect)
            for escalation in escalations[start..<min(start + rowsPerStatement, escalations.count)] {
                rows.append(escalation.incidentID.uuidString, escalation.dueAt?.millis, try DocumentCoding.encode(escalation))
            }
            writes.add(
                """
                INSERT INTO escalations (incident_id, due_at, document) \(rows)
                ON CONFLICT (incident_id) DO UPDATE SET due_at = excluded.due_at, document = excluded.document
                """, binds: rows.bindCount, writes: "escalations")
        }
    }

    /// Locks incidents whose timelines are about to grow, in id order so two writers cannot
    /// deadlock: two transactions must not number entries of one incident at the same time.
    /// `lock` is the dialect's row-lock suffix; SQLite's has nothing to do.
    static func lockIncidents(_ ids: Set<UUID>, lock: String, on db: any SQLDatabase) async throws {
        guard !lock.isEmpty, !ids.isEmpty else { return }
        let sorted = ids.map(\.text).sorted()
        for start in stride(from: 0, to: sorted.count, by: rowsPerStatement) {
            let chunk = Array(sorted[start..<min(start + rowsPerStatement, sorted.count)])
            _ = try await db.raw("SELECT id FROM incidents WHERE id IN (\(binds: chunk)) ORDER BY id\(unsafeRaw: lock)").all()
        }
    }

    /// Queues entries for many incidents' timelines, each numbered after its incident's last entry
    /// (read by the insert itself, so it needs no round trip of its own), in their given order.
    /// The caller holds the incidents' rows (`lockIncidents`) or created them in this transaction.
    static func appendTimelines(_ entries: [(UUID, TimelineDraft)], into writes: WriteBatch) {
        for start in stride(from: 0, to: entries.count, by: rowsPerStatement) {
            // Steps count from the last entry the statement can see, so they start again in each one.
            var steps: [String: Int] = [:]
            var rows = SQLValueRows(width: 9, rows: rowsPerStatement, for: writes.dialect)
            for (incidentID, draft) in entries[start..<min(start + rowsPerStatement, entries.count)] {
                let key = incidentID.text
                let step = (steps[key] ?? 0) + 1
                steps[key] = step
                rows.append(
                    TimeOrderedID.make(at: draft.at).text, key, step, draft.kind.rawValue, draft.at.millis,
                    draft.author, draft.text, JSONText.object(draft.details), (draft.recordedAt ?? draft.at).millis)
            }
            writes.add(
                numberedTimelineInsert(rows, readsFirst: writes.dialect.insertSelectReadsFirst),
                binds: rows.bindCount, writes: "timeline_entries", reads: "timeline_entries")
        }
    }

    /// Inserts timeline rows whose third value is a step after the incident's last position.
    /// Both forms of `SQLValueRows` name their columns column1, column2, ….
    private static func numberedTimelineInsert(_ rows: SQLValueRows, readsFirst: Bool) -> SQLQueryString {
        guard readsFirst else {
            // PostgreSQL writes while it reads: the last position is read once per incident before
            // any row goes in, since a lookup per row stepped over the rows this statement had just
            // added (invisible to it), ever more of them.
            return """
                WITH v AS (\(rows)),
                last AS MATERIALIZED (
                    SELECT i.incident_id,
                        COALESCE((SELECT MAX(t.position) FROM timeline_entries t WHERE t.incident_id = i.incident_id), 0) AS position
                    FROM (SELECT DISTINCT column2 AS incident_id FROM v) AS i)
                INSERT INTO timeline_entries (id, incident_id, position, kind, at, author, body, details, recorded_at)
                SELECT v.column1, v.column2, last.position + v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9
                FROM v JOIN last ON last.incident_id = v.column2
                """
        }
        // SQLite computes the rows first; a lookup per row is cheaper there than the join above.
        return """
            INSERT INTO timeline_entries (id, incident_id, position, kind, at, author, body, details, recorded_at)
            SELECT v.column1, v.column2,
                COALESCE((SELECT MAX(t.position) FROM timeline_entries t WHERE t.incident_id = v.column2), 0) + v.column3,
                v.column4, v.column5, v.column6, v.column7, v.column8, v.column9
            FROM (\(rows)) AS v
            """
    }
}
