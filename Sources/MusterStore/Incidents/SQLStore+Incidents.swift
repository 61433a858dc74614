import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func declareIncident(
        _ declaration: IncidentDeclaration, scheme: SeverityScheme, by author: String, at now: Date
    ) async throws -> Incident {
        // Validate before taking a number, so a bad request does not burn a sequence value.
        _ = try Incident.declare(declaration, id: UUID(), number: 1, scheme: scheme, by: author, at: now)
        return try await transaction { db, tally in
            let number = try await Self.nextIncidentNumber(at: now, on: db)
            let (incident, drafts) = try Incident.declare(
                declaration, id: UUID(), number: number, scheme: scheme, by: author, at: now)
            try await self.writing(on: db) { writes in
                try Self.insertIncidents([incident], into: writes)
                let paging = PagingBatch(db: db, now: now, logger: self.logger, tally: tally)
                tally.incidentsOpened([incident], source: "declared")
                try await paging.start(incident, scheme: scheme)
                try await paging.flush(lock: "", into: writes, leading: drafts.map { (incident.id, $0) })
            }
            return incident
        }
    }

    public func openIncidentClocks() async throws -> [OpenIncidentClock] {
        try await read { db in
            try await db.raw(
                """
                SELECT severity, detected_at, acknowledged_at FROM incidents WHERE status NOT IN ('resolved', 'closed')
                """
            ).all().map { row in
                OpenIncidentClock(
                    severity: try row.decode(column: "severity", as: String.self),
                    detectedAt: Date(millis: try row.decode(column: "detected_at", as: Int64.self)),
                    acknowledgedAt: try row.decode(column: "acknowledged_at", as: Int64?.self).map(Date.init(millis:)))
            }
        }
    }

    public func incident(_ key: String) async throws -> Incident? {
        try await read { db in try await Self.loadIncident(key, lock: "", on: db) }
    }

    public func listIncidents(_ query: IncidentQuery) async throws -> IncidentPage {
        guard (1...IncidentQuery.maxLimit).contains(query.limit) else {
            throw StoreError.invalid(field: "limit", reason: "must be between 1 and \(IncidentQuery.maxLimit).")
        }
        guard query.offset >= 0 else { throw StoreError.invalid(field: "offset", reason: "must be zero or more.") }
        if query.openFirst { return try await listOpenFirst(query) }
        var conditions: [SQLQueryString] = ["1 = 1"]
        if !query.statuses.isEmpty {
            conditions.append("status IN (\(binds: query.statuses.map(\.rawValue)))")
        }
        if !query.severities.isEmpty { conditions.append("severity IN (\(binds: query.severities))") }
        if let service = query.service {
            conditions.append("id IN (SELECT incident_id FROM incident_services WHERE service = \(bind: service))")
        }
        if let person = query.involving {
            // Roles live in the incident's document; the encoder writes `"assignee":"id"` without spaces.
            let pattern = "%\"assignee\":\"" + Self.likeEscaped(person) + "\"%"
            conditions.append(
                """
                (id IN (SELECT incident_id FROM notifications WHERE user_id = \(bind: person) AND incident_id IS NOT NULL)
                OR document LIKE \(bind: pattern) ESCAPE '!')
                """)
        }
        let time = query.time.column
        if let since = query.since { conditions.append("\(unsafeRaw: time) >= \(bind: since.millis)") }
        if let until = query.until { conditions.append("\(unsafeRaw: time) < \(bind: until.millis)") }
        let filter = conditions.joined(separator: " AND ")
        let sort = query.sort.column
        let direction = query.descending ? "DESC" : "ASC"
        // Incidents without the time asked for come last; every incident has a detection time.
        let nullsLast = query.sort == .detected ? "" : "CASE WHEN \(sort) IS NULL THEN 1 ELSE 0 END, "
        return try await read { db in
            let total =
                try await db.raw("SELECT COUNT(*) AS total FROM incidents WHERE \(filter)").first()?
                .decode(column: "total", as: Int.self) ?? 0
            // The page's ids first, so the sort carries small rows rather than whole documents.
            let ids = try await db.raw(
                """
                SELECT id FROM incidents WHERE \(filter)
                ORDER BY \(unsafeRaw: nullsLast)\(unsafeRaw: sort) \(unsafeRaw: direction),
                    year \(unsafeRaw: direction), number \(unsafeRaw: direction)
                LIMIT \(literal: query.limit) OFFSET \(literal: query.offset)
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
            guard !ids.isEmpty else { return IncidentPage(items: [], total: total, limit: query.limit, offset: query.offset) }
            let rows = try await db.raw("SELECT id, document FROM incidents WHERE id IN (\(binds: ids))").all()
            var documents: [String: String] = [:]
            for row in rows {
                documents[try row.decode(column: "id", as: String.self)] = try row.decode(column: "document", as: String.self)
            }
            let items = try ids.compactMap { id in try documents[id].map { try DocumentCoding.decode(Incident.self, from: $0) } }
            return IncidentPage(items: items, total: total, limit: query.limit, offset: query.offset)
        }
    }

    public func changeStamp() async throws -> String {
        // Each part reads an index: the newest incident change (timeline entries bump it), the
        // newest alert activity, and the pages still to send.
        try await read { db in
            let row = try await db.raw(
                """
                SELECT (SELECT MAX(updated_at) FROM incidents) AS incidents, (SELECT MAX(last_seen) FROM alerts) AS alerts,
                    (SELECT COUNT(*) FROM notifications WHERE status IN ('pending', 'sending')) AS pages
                """
            ).first()
            let parts = ["incidents", "alerts", "pages"].map { column in
                (try? row?.decodeNil(column: column)) == false ? String((try? row?.decode(column: column, as: Int64.self)) ?? 0) : "-"
            }
            return parts.joined(separator: ":")
        }
    }

    /// Open incidents, then the rest, each part in the order asked: two queries that each read
    /// in index order, rather than one that sorts every incident by whether it is open.
    private func listOpenFirst(_ query: IncidentQuery) async throws -> IncidentPage {
        let chosen = query.statuses.isEmpty ? IncidentStatus.allCases : query.statuses
        var open = query
        open.openFirst = false
        open.statuses = chosen.filter(\.isOpen)
        var rest = open
        rest.statuses = chosen.filter { !$0.isOpen }
        var items: [Incident] = []
        var total = 0
        if !open.statuses.isEmpty {
            let page = try await listIncidents(open)
            items = page.items
            total = page.total
        }
        if !rest.statuses.isEmpty {
            // The rest start where the open incidents end.
            rest.offset = max(0, query.offset - total)
            rest.limit = max(1, query.limit - items.count)
            let page = try await listIncidents(rest)
            if items.count < query.limit { items += page.items.prefix(query.limit - items.count) }
            total += page.total
        }
        return IncidentPage(items: items, total: total, limit: query.limit, offset: query.offset)
    }

    /// `text` for a LIKE pattern escaped with `!`, so it matches only itself.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%").replacingOccurrences(of: "_", with: "!_")
    }

    public func updateIncident(
        _ key: String, escalation: (@Sendable (inout Escalation, Incident) throws -> Void)?,
        _ change: @Sendable (inout Incident) throws -> [TimelineDraft]
    ) async throws -> Incident {
        try await withoutActuallyEscaping(change) { change in
            let box = UncheckedBox(change)
            return try await transaction { db in
                let lock = self.dialect.lockRowSuffix
                guard var incident = try await Self.loadIncident(key, lock: lock, on: db) else {
                    throw StoreError.notFound(what: "incident", key: key)
                }
                let services = incident.services
                let drafts = try box.value(&incident)
                var changed: Escalation?
                if let escalation {
                    guard var running = try await Self.loadEscalation(of: incident.id, lock: lock, on: db) else {
                        throw StoreError.invalid(
                            field: "escalation", reason: "does not exist: the incident's services had no escalation policy when it opened.")
                    }
                    try escalation(&running, incident)
                    changed = running
                }
                let final = incident
                try await self.writing(on: db) { writes in
                    try Self.save(final, appending: drafts, into: writes)
                    if final.services != services { Self.relinkServices(of: final, from: services, into: writes) }
                    if let changed { try Self.upsertEscalations([changed], into: writes) }
                }
                return incident
            }
        }
    }

    public func timeline(of incidentID: UUID) async throws -> [TimelineEntry] {
        try await read { db in
            try await db.raw(
                """
                SELECT id, incident_id, kind, at, recorded_at, author, body, details FROM timeline_entries
                WHERE incident_id = \(bind: incidentID.uuidString) ORDER BY at, position
                """
            ).all().map(Self.decodeEntry)
        }
    }

    public func settleHypothesis(
        incident key: String, entry entryID: UUID, as state: HypothesisState, by author: String, at now: Date
    ) async throws -> TimelineEntry {
        try await transaction { db in
            guard var incident = try await Self.loadIncident(key, lock: self.dialect.lockRowSuffix, on: db) else {
                throw StoreError.notFound(what: "incident", key: key)
            }
            guard
                let row = try await db.raw(
                    """
                    SELECT id, incident_id, kind, at, recorded_at, author, body, details FROM timeline_entries
                    WHERE id = \(bind: entryID.uuidString) AND incident_id = \(bind: incident.id.uuidString)
                    """
                ).first()
            else {
                throw StoreError.notFound(what: "timeline entry", key: entryID.uuidString)
            }
            let (updated, note) = try incident.settle(hypothesis: try Self.decodeEntry(row), as: state, by: author, at: now)
            try await db.raw(
                """
                UPDATE timeline_entries SET details = \(bind: JSONText.object(updated.details))
                WHERE id = \(bind: updated.id.uuidString)
                """
            ).run()
            incident.updatedAt = now
            try await self.writing(on: db) { try Self.save(incident, appending: [note], into: $0) }
            return updated
        }
    }
}

/// Carries a non-Sendable closure into the transaction; it only runs inside the awaited call.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
