import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    /// Increments and returns a named counter, creating it at 1.
    static func nextValue(of counter: String, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw(
            """
            INSERT INTO counters (name, value) VALUES (\(bind: counter), 1)
            ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
            RETURNING value
            """
        ).first()
        guard let value = try row?.decode(column: "value", as: Int.self) else {
            throw StoreError.corrupt("counter \(counter) returned no value")
        }
        return value
    }

    /// Reads an incident by reference or UUID; `lock` is the dialect's row-lock suffix or empty.
    static func loadIncident(_ key: String, lock: String, on db: any SQLDatabase) async throws -> Incident? {
        let column = UUID(uuidString: key) == nil ? "reference" : "id"
        let value = UUID(uuidString: key)?.uuidString ?? key.uppercased()
        let row = try await db.raw("SELECT document FROM incidents WHERE \(ident: column) = \(bind: value)\(unsafeRaw: lock)").first()
        return try row.map { try DocumentCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self)) }
    }

    /// Numbers a new incident within its year.
    static func nextIncidentNumber(at now: Date, on db: any SQLDatabase) async throws -> Int {
        try await nextValue(of: "incident-\(Incident.year(of: now))", on: db)
    }

    /// Queues inserts of new incidents and their service links, in multi-row statements.
    static func insertIncidents(_ incidents: [Incident], into writes: WriteBatch) throws {
        for start in stride(from: 0, to: incidents.count, by: rowsPerStatement) {
            let chunk = incidents[start..<min(start + rowsPerStatement, incidents.count)]
            var rows = SQLValueRows(width: 15, rows: chunk.count, for: writes.dialect)
            var links = SQLValueRows(width: 2, for: writes.dialect)
            for incident in chunk {
                rows.append(
                    incident.id.uuidString, incident.numberingYear, incident.number, incident.reference,
                    incident.status.rawValue, incident.severity, incident.detectedAt.millis, incident.updatedAt.millis,
                    try IncidentDocument.encode(incident), incident.groupKey, incident.impactStartedAt?.millis,
                    incident.acknowledgedAt?.millis, incident.mitigatedAt?.millis, incident.resolvedAt?.millis,
                    incident.closedAt?.millis)
                for service in incident.services { links.append(incident.id.uuidString, service) }
            }
            writes.add(
                """
                INSERT INTO incidents (id, year, number, reference, status, severity, detected_at, updated_at, document, group_key,
                    impact_started_at, acknowledged_at, mitigated_at, resolved_at, closed_at)
                \(rows)
                """, binds: rows.bindCount, writes: "incidents")
            if !links.isEmpty {
                writes.add(
                    "INSERT INTO incident_services (incident_id, service) \(links)",
                    binds: links.bindCount, writes: "incident_services")
            }
        }
    }

    /// Queues the update of an incident's row, and `drafts` after its last timeline entry; the
    /// caller holds the incident's row.
    static func save(_ incident: Incident, appending drafts: [TimelineDraft] = [], into writes: WriteBatch) throws {
        writes.add(
            """
            UPDATE incidents SET status = \(bind: incident.status.rawValue), severity = \(bind: incident.severity),
                updated_at = \(bind: incident.updatedAt.millis), document = \(bind: try IncidentDocument.encode(incident)),
                impact_started_at = \(bind: incident.impactStartedAt?.millis), detected_at = \(bind: incident.detectedAt.millis),
                acknowledged_at = \(bind: incident.acknowledgedAt?.millis), mitigated_at = \(bind: incident.mitigatedAt?.millis),
                resolved_at = \(bind: incident.resolvedAt?.millis), closed_at = \(bind: incident.closedAt?.millis),
                page_updated_at = \(bind: incident.isPublished ? incident.updatedAt.millis : nil)
            WHERE id = \(bind: incident.id.uuidString)
            """, binds: 12, writes: "incidents")
        if incident.isPublished {
            writes.add(
                """
                INSERT INTO counters (name, value) VALUES (\(bind: statusPageCounter), 1)
                ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
                """, binds: 1, writes: "counters")
        }
        appendTimelines(drafts.map { (incident.id, $0) }, into: writes)
    }

    /// Queues the change of an incident's service links from `old` to its current services.
    static func relinkServices(of incident: Incident, from old: [String], into writes: WriteBatch) {
        let id = incident.id.uuidString
        let removed = old.filter { !incident.services.contains($0) }
        let added = incident.services.filter { !old.contains($0) }
        if !removed.isEmpty {
            writes.add(
                "DELETE FROM incident_services WHERE incident_id = \(bind: id) AND service IN (\(binds: removed))",
                binds: 1 + removed.count, writes: "incident_services")
        }
        if !added.isEmpty {
            var links = SQLValueRows(width: 2, for: writes.dialect)
            for service in added { links.append(id, service) }
            writes.add("INSERT INTO incident_services (incident_id, service) \(links)", binds: links.bindCount, writes: "incident_services")
        }
    }

    static func decodeEntry(_ row: any SQLRow) throws -> TimelineEntry {
        let kindName = try row.decode(column: "kind", as: String.self)
        guard let kind = TimelineKind(rawValue: kindName),
            let id = UUID(uuidString: try row.decode(column: "id", as: String.self)),
            let incidentID = UUID(uuidString: try row.decode(column: "incident_id", as: String.self))
        else { throw StoreError.corrupt("timeline entry with kind \(kindName)") }
        let draft = TimelineDraft(
            kind: kind, at: Date(millis: try row.decode(column: "at", as: Int64.self)),
            recordedAt: Date(millis: try row.decode(column: "recorded_at", as: Int64.self)),
            author: try row.decode(column: "author", as: String.self),
            text: try row.decode(column: "body", as: String.self),
            details: try DocumentCoding.decode([String: String].self, from: row.decode(column: "details", as: String.self)))
        return TimelineEntry(id: id, incidentID: incidentID, draft: draft)
    }
}
