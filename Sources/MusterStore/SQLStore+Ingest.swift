import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func ingest(
        _ events: [AlertEvent], via integration: Integration, scheme: SeverityScheme, mapping: SeverityMapping, at now: Date
    ) async throws -> [IngestOutcome] {
        try await ingest([IngestRequest(events: events, integration: integration)], scheme: scheme, mapping: mapping, at: now)[0]
    }

    public func ingest(
        _ requests: [IngestRequest], scheme: SeverityScheme, mapping: SeverityMapping, at now: Date
    ) async throws -> [[IngestOutcome]] {
        let requests = try requests.map { try $0.validated() }
        let dialect = dialect
        // Ingestion sends the same few statement texts over and over: on PostgreSQL, parsing and
        // planning them each time was about half of the server's work for single alerts.
        return try await transaction(reusingStatements: true) { db in
            try await IngestBatchWriter(db: db, dialect: dialect, scheme: scheme, mapping: mapping, now: now).run(requests)
        }
    }

    public func alerts(_ query: AlertQuery) async throws -> [Alert] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let status = query.status { conditions.append("status = \(bind: status.rawValue)") }
        if let service = query.service { conditions.append("service = \(bind: service)") }
        if let incident = query.incidentID { conditions.append("incident_id = \(bind: incident.uuidString)") }
        let filter = conditions.joined(separator: " AND ")
        let limit = min(max(query.limit, 1), 1_000)
        return try await read { db in
            try await db.raw("""
                SELECT id, integration_id, service, dedup_key, status, incident_id, silence_id, document FROM alerts
                WHERE \(filter) ORDER BY last_seen DESC LIMIT \(literal: limit)
                """).all().map { row in
                let columns = AlertDocument.Columns(
                    id: try row.decode(column: "id", as: String.self), integrationID: try row.decode(column: "integration_id", as: String.self),
                    service: try row.decode(column: "service", as: String.self), dedupKey: try row.decode(column: "dedup_key", as: String.self),
                    status: try row.decode(column: "status", as: String.self), incidentID: try row.decode(column: "incident_id", as: String?.self),
                    silenceID: try row.decode(column: "silence_id", as: String?.self))
                return try AlertDocument.decode(row.decode(column: "document", as: String.self), columns: columns)
            }
        }
    }
}
