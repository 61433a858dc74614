import Foundation
import MusterCore
import SQLKit

/// What an ingest transaction reads before it applies its events, read in two statements
/// whatever the batch holds (more only past `chunk(for:)` keys): the services (locked, in id order, so
/// concurrent batches cannot deadlock) with the silences in force, then the alerts the events name
/// and the open incident each triggering event would join (both locked). On PostgreSQL each
/// statement is a round trip; this used to be one per kind of row.
struct IngestReads {
    var services: [String: ServiceRecord] = [:]
    var silences: [Silence] = []
    /// Alerts by service and dedup key.
    var alerts: [String: [String: Alert]] = [:]
    var incidents: [UUID: Incident] = [:]
    /// The open incident found for a service and group key (`lookupKey`), or nil when none was.
    var groupLookups: [String: UUID?] = [:]

    /// Keys per statement, of each kind.
    static func chunk(for dialect: StoreDialect) -> Int {
        SQLValueRows.rowsPerStatement(listRows: 500, for: dialect)
    }

    static func lookupKey(service: String, groupKey: String) -> String {
        "\(service)\u{1f}\(groupKey)"
    }

    /// An alert as the events name it.
    struct AlertKey: Hashable, Comparable {
        var service: String
        var dedupKey: String

        static func < (a: AlertKey, b: AlertKey) -> Bool { (a.service, a.dedupKey) < (b.service, b.dedupKey) }
    }

    /// The open incident an alert with these labels would join: the service's group key, within
    /// its policy's window.
    struct GroupLookup {
        var service: String
        var groupKey: String
        /// The earliest detection time (Unix milliseconds) the window allows.
        var earliest: Int64

        init(service: String, policy: AlertPolicy, labels: [String: String], at now: Date) {
            self.service = service
            groupKey = policy.groupKey(for: labels)
            earliest = now.addingTimeInterval(-Double(policy.groupWindowSeconds)).millis
        }

        var key: String { IngestReads.lookupKey(service: service, groupKey: groupKey) }
    }

    /// Reads everything `requests` need. Where `db` can send statements together and `policies`
    /// knows every service's policy, the lookups go with the read of the services, one round trip
    /// for both (`forgetGroups` then drops those a changed policy makes stale).
    static func read(
        for requests: [IngestRequest], dialect: StoreDialect, at now: Date, on db: any SQLDatabase, policies: AlertPolicyMemo
    ) async throws -> IngestReads {
        var reads = IngestReads()
        let ids = Set(requests.map(\.integration.service))
        if let together = db as? any ReadingTogether, let expected = policies.policies(of: ids),
            case let (keys, groups) = lookups(for: requests, policies: expected, at: now),
            keys.count <= chunk(for: dialect), groups.count <= chunk(for: dialect),
            let lookUp = lookUpQuery(keys[...], groups[...], dialect: dialect)
        {
            let rows = try await together.rows(of: [servicesAndSilencesQuery(ids, dialect: dialect, at: now), lookUp])
            try reads.takeServicesAndSilences(rows[0], ids)
            policies.remember(reads.services)
            try reads.takeLookups(rows[1], groups[...])
            reads.forgetGroups(groups, lookedUpWith: expected, readNow: reads.services)
            return reads
        }
        try await reads.readServicesAndSilences(ids, dialect: dialect, at: now, on: db)
        policies.remember(reads.services)
        try await reads.readAlertsAndIncidents(for: requests, dialect: dialect, at: now, on: db)
        return reads
    }

    /// Forgets what `groups`, looked up with the policies `expected`, found for services whose
    /// policy as read now (`services`) differs: a group key or window of the old policy may miss
    /// an incident the new one reaches. The writer looks up the groups it then finds missing, as it
    /// does for any alert whose labels are not its event's.
    mutating func forgetGroups(
        _ groups: [GroupLookup], lookedUpWith expected: [String: AlertPolicy], readNow services: [String: ServiceRecord]
    ) {
        let stale = services.filter { expected[$0.key] != $0.value.alertPolicy }
        guard !stale.isEmpty else { return }
        for group in groups where stale[group.service] != nil { groupLookups[group.key] = nil }
    }

    /// Reads the alerts `keys` name (locked), after their services (locked) and the silences in force.
    static func read(alerts keys: Set<AlertKey>, dialect: StoreDialect, at now: Date, on db: any SQLDatabase) async throws -> IngestReads {
        var reads = IngestReads()
        try await reads.readServicesAndSilences(Set(keys.map(\.service)), dialect: dialect, at: now, on: db)
        try await reads.lookUpInChunks(keys.sorted(), [], dialect: dialect, on: db)
        return reads
    }

    /// A NULL per service column, so silences fit the services' rows in one UNION.
    private static let servicePadding = Array(repeating: "NULL", count: SQLStore.serviceColumns.split(separator: ",").count)
        .joined(separator: ", ")

    private mutating func readServicesAndSilences(_ ids: Set<String>, dialect: StoreDialect, at now: Date, on db: any SQLDatabase)
        async throws
    {
        try takeServicesAndSilences(try await db.raw(Self.servicesAndSilencesQuery(ids, dialect: dialect, at: now)).all(), ids)
    }

    /// The services (locked, in id order, so concurrent batches cannot deadlock) and the silences in force.
    static func servicesAndSilencesQuery(_ ids: Set<String>, dialect: StoreDialect, at now: Date) -> SQLQueryString {
        """
        SELECT 'service' AS kind, NULL AS document, s.* FROM (
            SELECT \(unsafeRaw: SQLStore.serviceColumns) FROM services WHERE id IN (\(binds: ids.sorted())) ORDER BY id\(unsafeRaw: dialect.lockRowSuffix)
        ) AS s
        UNION ALL
        SELECT 'silence', document, \(unsafeRaw: Self.servicePadding) FROM silences
        WHERE starts_at <= \(bind: now.millis) AND ends_at > \(bind: now.millis)
        """
    }

    mutating func takeServicesAndSilences(_ rows: [any SQLRow], _ ids: Set<String>) throws {
        for row in rows {
            if try row.decode(column: "kind", as: String.self) == "service" {
                let service = try SQLStore.decodeService(row)
                services[service.id] = service
            } else {
                silences.append(try DocumentCoding.decode(Silence.self, from: row.decode(column: "document", as: String.self)))
            }
        }
        if let missing = ids.sorted().first(where: { services[$0] == nil }) {
            throw StoreError.notFound(what: "service", key: missing)
        }
    }

    private mutating func readAlertsAndIncidents(
        for requests: [IngestRequest], dialect: StoreDialect, at now: Date, on db: any SQLDatabase
    ) async throws {
        let (keys, groups) = Self.lookups(for: requests, policies: services.mapValues(\.alertPolicy), at: now)
        try await lookUpInChunks(keys, groups, dialect: dialect, on: db)
    }

    /// The alerts `requests` name and the groups their triggering events would join, in order.
    static func lookups(
        for requests: [IngestRequest], policies: [String: AlertPolicy], at now: Date
    ) -> (keys: [AlertKey], groups: [GroupLookup]) {
        var keys: Set<AlertKey> = []
        var groups: [String: GroupLookup] = [:]
        for request in requests {
            let service = request.integration.service
            let policy = policies[service]!
            for event in request.events {
                keys.insert(AlertKey(service: service, dedupKey: event.dedupKey))
                guard event.action == .trigger else { continue }
                let group = GroupLookup(service: service, policy: policy, labels: event.labels, at: now)
                groups[group.key] = group
            }
        }
        return (keys.sorted(), groups.sorted { $0.key < $1.key }.map(\.value))
    }

    /// Reads the open incident of groups that were not read up front (locked).
    mutating func readGroups(_ groups: [GroupLookup], dialect: StoreDialect, on db: any SQLDatabase) async throws {
        try await lookUpInChunks([], groups, dialect: dialect, on: db)
    }

    /// `lookUp` over as many statements as the keys and groups need, `chunk(for:)` of each at a time.
    private mutating func lookUpInChunks(
        _ keys: [AlertKey], _ groups: [GroupLookup], dialect: StoreDialect, on db: any SQLDatabase
    ) async throws {
        let chunk = Self.chunk(for: dialect)
        for start in stride(from: 0, to: max(keys.count, groups.count), by: chunk) {
            func window<T>(_ items: [T]) -> ArraySlice<T> { items[min(start, items.count)..<min(start + chunk, items.count)] }
            try await lookUp(window(keys), window(groups), dialect: dialect, on: db)
        }
    }

    /// Looks up alerts and groups' open incidents in one statement that returns only what it found:
    /// an alert not returned is new, and a group not returned has no open incident.
    private mutating func lookUp(
        _ keys: ArraySlice<AlertKey>, _ groups: ArraySlice<GroupLookup>, dialect: StoreDialect, on db: any SQLDatabase
    ) async throws {
        guard let found = Self.lookUpQuery(keys, groups, dialect: dialect) else { return }
        try takeLookups(try await db.raw(found).all(), groups)
    }

    /// One statement for the lookups, or nil when there are none.
    static func lookUpQuery(
        _ keys: ArraySlice<AlertKey>, _ groups: ArraySlice<GroupLookup>, dialect: StoreDialect
    ) -> SQLQueryString? {
        var parts: [SQLQueryString] = []
        if !keys.isEmpty { parts.append(Self.alertLookups(keys, dialect: dialect)) }
        if !groups.isEmpty { parts.append(Self.incidentLookups(groups, dialect: dialect)) }
        guard !parts.isEmpty else { return nil }
        // The fence keeps the filter from being pushed into the lookups, where each found row's
        // subquery would run twice (once to filter, once to return it).
        return """
            SELECT * FROM (\(parts.joined(separator: " UNION ALL "))\(unsafeRaw: dialect.subqueryFence)) AS found
            WHERE document IS NOT NULL
            """
    }

    /// Keeps what the lookups found; a group not found has no open incident.
    mutating func takeLookups(_ rows: [any SQLRow], _ groups: ArraySlice<GroupLookup>) throws {
        for group in groups { groupLookups[group.key] = .some(nil) }
        for row in rows {
            try take(row)
        }
    }

    /// One row per key: the alert's columns packed with its document (`AlertDocument.packedSQL`), or NULL.
    private static func alertLookups(_ keys: ArraySlice<AlertKey>, dialect: StoreDialect) -> SQLQueryString {
        var wanted = SQLValueRows(width: 2, rows: keys.count, for: dialect)
        for key in keys { wanted.append(key.service, key.dedupKey) }
        // One index lookup per key, whatever the statistics say: with `dedup_key IN (…)`
        // PostgreSQL read every alert of the service while its statistics were stale.
        return """
            SELECT 'alert' AS kind, w.column1 AS service, w.column2 AS lookup,
                (SELECT \(unsafeRaw: AlertDocument.packedSQL) FROM alerts
                 WHERE service = w.column1 AND dedup_key = w.column2\(unsafeRaw: dialect.lockRowSuffix)) AS document
            FROM (\(wanted)) AS w
            """
    }

    /// One row per group: the newest open incident's document, or NULL.
    private static func incidentLookups(_ groups: ArraySlice<GroupLookup>, dialect: StoreDialect) -> SQLQueryString {
        var wanted = SQLValueRows(width: 3, rows: groups.count, for: dialect)
        for group in groups { wanted.append(group.service, group.groupKey, group.earliest) }
        let openStatuses = IncidentStatus.allCases.filter(\.isOpen).map(\.rawValue)
        return """
            SELECT 'incident' AS kind, g.column1 AS service, g.column2 AS lookup,
                (SELECT document FROM incidents
                 WHERE group_key = g.column2 AND status IN (\(binds: openStatuses)) AND detected_at >= g.column3
                   AND id IN (SELECT incident_id FROM incident_services WHERE service = g.column1)
                 ORDER BY detected_at DESC LIMIT 1\(unsafeRaw: dialect.lockRowSuffix)) AS document
            FROM (\(wanted)) AS g
            """
    }

    /// Keeps one found row.
    private mutating func take(_ row: any SQLRow) throws {
        let service = try row.decode(column: "service", as: String.self)
        let lookup = try row.decode(column: "lookup", as: String.self)
        let document = try row.decode(column: "document", as: String.self)
        if try row.decode(column: "kind", as: String.self) == "alert" {
            alerts[service, default: [:]][lookup] = try AlertDocument.decode(packed: document, service: service, dedupKey: lookup)
        } else {
            let incident = try DocumentCoding.decode(Incident.self, from: document)
            incidents[incident.id] = incidents[incident.id] ?? incident
            groupLookups[Self.lookupKey(service: service, groupKey: lookup)] = .some(incident.id)
        }
    }
}
