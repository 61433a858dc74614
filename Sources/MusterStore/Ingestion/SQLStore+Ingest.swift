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
        let logger = logger
        let policies = alertPolicies
        var attempt = 1
        while true {
            do {
                // Ingestion sends the same few statement texts over and over: on PostgreSQL, parsing and
                // planning them each time was about half of the server's work for single alerts.
                return try await transaction(reusingStatements: true) { db, tally in
                    try await IngestBatchWriter(
                        db: db, dialect: dialect, scheme: scheme, mapping: mapping, now: now, logger: logger, tally: tally
                    ).run(requests, policies: policies)
                }
            } catch  where StoreError.isContention(error) && attempt < Self.ingestAttempts {
                // Nothing of the transaction was kept, and the writer starts afresh from the database.
                attempt += 1
            }
        }
    }

    /// How often an ingest transaction is tried that the database aborts for another's sake (a
    /// deadlock with another server's), before its senders are answered 503.
    static let ingestAttempts = 3

    public func alerts(_ query: AlertQuery) async throws -> [Alert] {
        let filter = Self.alertFilter(query)
        let limit = min(max(query.limit, 1), AlertQuery.maxLimit)
        return try await read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: AlertDocument.Columns.sql), document FROM alerts
                WHERE \(filter) ORDER BY last_seen DESC, id DESC LIMIT \(literal: limit) OFFSET \(literal: max(query.offset, 0))
                """
            ).all().map { try AlertDocument.decode($0.decode(column: "document", as: String.self), columns: .init(row: $0)) }
        }
    }

    public func countAlerts(_ query: AlertQuery) async throws -> Int {
        let filter = Self.alertFilter(query)
        return try await read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM alerts WHERE \(filter)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    private static func alertFilter(_ query: AlertQuery) -> SQLQueryString {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let status = query.status { conditions.append("status = \(bind: status.rawValue)") }
        if let service = query.service { conditions.append("service = \(bind: service)") }
        if let incident = query.incidentID { conditions.append("incident_id = \(bind: incident.uuidString)") }
        return conditions.joined(separator: " AND ")
    }
}
