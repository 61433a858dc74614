import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func ingest(
        _ events: [AlertEvent], via integration: Integration, scheme: SeverityScheme, mapping: SeverityMapping, at now: Date
    ) async throws -> [IngestOutcome] {
        for (index, event) in events.enumerated() {
            try event.validate(field: events.count > 1 ? "alerts[\(index)]." : "")
        }
        let lock = dialect.lockRowSuffix
        return try await transaction { db in
            // Locking the service row serialises batches for one service, so two batches never both
            // open an incident for the same group.
            guard let service = try await db.raw("""
                SELECT \(unsafeRaw: Self.serviceColumns) FROM services WHERE id = \(bind: integration.service)\(unsafeRaw: lock)
                """).first().map(Self.decodeService) else {
                throw StoreError.notFound(what: "service", key: integration.service)
            }
            let context = IngestContext(
                integration: integration, service: service, silences: try await Self.activeSilences(at: now, on: db),
                scheme: scheme, mapping: mapping, now: now, lock: lock)
            var outcomes: [IngestOutcome] = []
            for event in events {
                outcomes.append(try await Self.apply(event, context, on: db))
            }
            return outcomes
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
            try await db.raw("SELECT document FROM alerts WHERE \(filter) ORDER BY last_seen DESC LIMIT \(literal: limit)").all()
                .map { try DocumentCoding.decode(Alert.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }
}

/// What stays the same for every event of one ingest batch.
struct IngestContext {
    let integration: Integration
    let service: ServiceRecord
    let silences: [Silence]
    let scheme: SeverityScheme
    let mapping: SeverityMapping
    let now: Date
    let lock: String
}

extension SQLStore {
    /// Applies one event inside the batch transaction.
    static func apply(_ event: AlertEvent, _ context: IngestContext, on db: any SQLDatabase) async throws -> IngestOutcome {
        let now = context.now
        let existing = try await db.raw("""
            SELECT document FROM alerts WHERE service = \(bind: context.service.id) AND dedup_key = \(bind: event.dedupKey)\(unsafeRaw: context.lock)
            """).first().map { try DocumentCoding.decode(Alert.self, from: $0.decode(column: "document", as: String.self)) }
        var alert: Alert
        let change: AlertChange
        if var found = existing {
            change = found.receive(event, at: now)
            alert = found
        } else {
            guard event.action == .trigger else {
                return IngestOutcome(dedupKey: event.dedupKey, change: .ignored, alertID: nil, incident: nil, silenced: false)
            }
            alert = Alert(id: UUID(), integrationID: context.integration.id, service: context.service.id, event: event, at: now)
            change = .opened
        }

        if change == .opened || change == .refired {
            if let silence = context.silences.first(where: { $0.silences(alert.labels, at: now) }) {
                alert.silenceID = silence.id
            } else {
                alert.silenceID = nil
                let incident = try await attach(alert, change: change, context, on: db)
                alert.incidentID = incident.id
                alert.incidentReference = incident.reference
            }
        }
        try await saveAlert(alert, isNew: existing == nil, on: db)

        switch change {
        case .resolved:
            try await noteResolution(of: alert, context, on: db)
        case .acknowledged:
            if let id = alert.incidentID, var incident = try await loadIncident(id.uuidString, lock: context.lock, on: db),
               incident.status == .triggered {
                let entries = try incident.acknowledge(by: context.integration.name, at: now)
                try await save(incident, on: db)
                try await append(entries, to: incident.id, on: db)
            }
        default:
            break
        }
        return IngestOutcome(
            dedupKey: alert.dedupKey, change: change, alertID: alert.id, incident: alert.incidentReference,
            silenced: alert.silenceID != nil && (change == .opened || change == .refired))
    }

    /// Joins the alert to a matching open incident of its group, or opens a new one.
    static func attach(_ alert: Alert, change: AlertChange, _ context: IngestContext, on db: any SQLDatabase) async throws -> Incident {
        let now = context.now
        let policy = context.service.alertPolicy
        if change == .refired, let id = alert.incidentID,
           var incident = try await loadIncident(id.uuidString, lock: context.lock, on: db), incident.status.isOpen {
            try await record(incident.join(alert, change: change, at: now), on: &incident, db)
            return incident
        }
        let groupKey = policy.groupKey(for: alert.labels)
        let openStatuses = IncidentStatus.allCases.filter(\.isOpen).map(\.rawValue)
        let earliest = now.addingTimeInterval(-Double(policy.groupWindowSeconds))
        if let row = try await db.raw("""
            SELECT document FROM incidents
            WHERE group_key = \(bind: groupKey) AND status IN (\(binds: openStatuses)) AND detected_at >= \(bind: earliest.millis)
              AND id IN (SELECT incident_id FROM incident_services WHERE service = \(bind: context.service.id))
            ORDER BY detected_at DESC LIMIT 1\(unsafeRaw: context.lock)
            """).first() {
            var incident = try DocumentCoding.decode(Incident.self, from: row.decode(column: "document", as: String.self))
            try await record(incident.join(alert, change: change, at: now), on: &incident, db)
            return incident
        }
        let number = try await nextIncidentNumber(at: now, on: db)
        let severity = context.mapping.severity(for: alert.severity, in: context.scheme)
        let (incident, entries) = Incident.open(from: alert, id: UUID(), number: number, severity: severity, groupKey: groupKey, at: now)
        try await insert(incident, on: db)
        try await append(entries, to: incident.id, on: db)
        return incident
    }

    /// Tells the alert's incident and silence that it resolved.
    static func noteResolution(of alert: Alert, _ context: IngestContext, on db: any SQLDatabase) async throws {
        if let id = alert.incidentID, var incident = try await loadIncident(id.uuidString, lock: context.lock, on: db),
           incident.status != .closed {
            let firing = try await db.raw("""
                SELECT COUNT(*) AS firing FROM alerts WHERE incident_id = \(bind: id.uuidString) AND status = 'firing'
                """).first()?.decode(column: "firing", as: Int.self) ?? 0
            let entries = incident.alertResolved(alert, stillFiring: firing, autoResolve: context.service.alertPolicy.autoResolve, at: context.now)
            try await record(entries, on: &incident, db)
        }
        if let id = alert.silenceID, var silence = try await loadSilence(id, on: db), silence.expireWhenResolved,
           silence.endsAt > context.now {
            let firing = try await db.raw("""
                SELECT COUNT(*) AS firing FROM alerts WHERE silence_id = \(bind: id.uuidString) AND status = 'firing'
                """).first()?.decode(column: "firing", as: Int.self) ?? 0
            if firing == 0 {
                silence.endsAt = max(context.now, silence.startsAt)
                try await saveSilence(silence, on: db)
            }
        }
    }

    private static func record(_ entries: [TimelineDraft], on incident: inout Incident, _ db: any SQLDatabase) async throws {
        try await save(incident, on: db)
        try await append(entries, to: incident.id, on: db)
    }

    static func saveAlert(_ alert: Alert, isNew: Bool, on db: any SQLDatabase) async throws {
        let document = try DocumentCoding.encode(alert)
        if isNew {
            try await db.raw("""
                INSERT INTO alerts (id, service, dedup_key, integration_id, status, incident_id, silence_id, last_seen, document)
                VALUES (\(bind: alert.id.uuidString), \(bind: alert.service), \(bind: alert.dedupKey), \(bind: alert.integrationID.uuidString),
                        \(bind: alert.status.rawValue), \(bind: alert.incidentID?.uuidString), \(bind: alert.silenceID?.uuidString),
                        \(bind: alert.lastSeen.millis), \(bind: document))
                """).run()
        } else {
            try await db.raw("""
                UPDATE alerts SET status = \(bind: alert.status.rawValue), incident_id = \(bind: alert.incidentID?.uuidString),
                    silence_id = \(bind: alert.silenceID?.uuidString), last_seen = \(bind: alert.lastSeen.millis), document = \(bind: document)
                WHERE id = \(bind: alert.id.uuidString)
                """).run()
        }
    }
}
