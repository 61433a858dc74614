import Foundation
import Logging
import MusterCore
import SQLKit

/// One request's alert events and the integration they came through.
public struct IngestRequest: Sendable {
    public var events: [AlertEvent]
    public var integration: Integration
    /// The alerts the sender says it left out of this request; nil when it does not say.
    public var leftOut: LeftOutAlerts?
    /// Incidents of one request told how many alerts its sender left out. A sender's group rarely
    /// spans more; one that does (a service grouped by instance, a fleet down for hours) would
    /// otherwise cost a read of each incident at every notification.
    public static let maxIncidentsNoted = 50
    /// Set by `validated()`, so the writer does not check the same events again.
    private(set) var isValidated = false

    public init(events: [AlertEvent], integration: Integration, leftOut: LeftOutAlerts? = nil) {
        self.events = events
        self.integration = integration
        self.leftOut = leftOut
    }

    /// Checks every event (sizes, required fields); the error names the event at fault.
    public func validated() throws(IncidentError) -> IngestRequest {
        if isValidated { return self }
        for (index, event) in events.enumerated() {
            try event.validate(field: events.count > 1 ? "alerts[\(index)]." : "")
        }
        var checked = self
        checked.isValidated = true
        return checked
    }
}

/// How many alerts a sender left out of one request (Alertmanager's `truncatedAlerts`, under its
/// `max_alerts`), and the sender's group the request was for (its `groupKey`).
public struct LeftOutAlerts: Sendable, Equatable {
    public var count: Int
    public var group: String

    public init(count: Int, group: String) {
        self.count = count
        self.group = group
    }
}

/// Applies many alert events inside one transaction with few statements: what they need is read
/// up front (`IngestReads`, two statements), incidents are cached, and alerts, incidents and
/// timeline entries are written in multi-row statements at the end (one `WriteBatch`, a single
/// statement on PostgreSQL, which also gets the alerts ahead in parts of `aheadChunk` while the
/// batch goes on). The rules are the same as one event at a time.
final class IngestBatchWriter {
    let db: any SQLDatabase
    /// `db`, where it can send alerts ahead while the batch goes on.
    private let ahead: (any WritingAhead)?
    let dialect: StoreDialect
    private let writes: WriteBatch
    let scheme: SeverityScheme
    let mapping: SeverityMapping
    let now: Date
    let logger: Logger
    /// Counts the batch and the incidents it opens, for the metrics once the transaction commits.
    let tally: MetricsTally
    private var services: [String: ServiceRecord] = [:]
    private var silences: [Silence] = []
    /// Alerts by service and dedup key, as they stand now in this batch.
    private var alerts: [String: [String: Alert]] = [:]
    private var dirtyAlerts: [UUID: Alert] = [:]
    /// Alerts made in this batch and not written yet: a plain insert, no upsert, writes them.
    private var unwrittenNew: Set<UUID> = []
    private var incidents: [UUID: Incident] = [:]
    private var dirtyIncidents: Set<UUID> = []
    /// Incidents an alert raised to a severity that pages at once: paged again at the flush.
    private var raised: Set<UUID> = []
    private var groupLookups: [String: UUID?] = [:]
    private var timeline: [UUID: [TimelineDraft]] = [:]
    private var timelineOrder: [UUID] = []
    /// Each incident's latest alert note, still open to the alerts that change the same way after it.
    private var notes: [UUID: AlertChangeNote] = [:]
    /// Incidents opened in this batch, written at the end in their final state.
    private var newIncidents: [UUID] = []
    private enum FiringKey: Hashable {
        case incident(UUID)
        case silence(UUID)
    }
    /// The firing alerts of the incidents and silences whose resolution this batch checks, as the
    /// batch leaves them: read once each, then kept current by `remember`, so a batch of resolve
    /// events costs one query per incident, not a write and a count per event.
    private var firing: [FiringKey: Set<UUID>] = [:]

    init(
        db: any SQLDatabase, dialect: StoreDialect, scheme: SeverityScheme, mapping: SeverityMapping, now: Date, logger: Logger,
        tally: MetricsTally
    ) {
        self.db = db
        self.logger = logger
        self.tally = tally
        self.ahead = db as? any WritingAhead
        self.dialect = dialect
        self.writes = WriteBatch(for: dialect)
        self.scheme = scheme
        self.mapping = mapping
        self.now = now
    }

    func run(_ requests: [IngestRequest], policies: AlertPolicyMemo) async throws -> [[IngestOutcome]] {
        let lookupsAhead = try IngestReadsAhead.send(for: requests, dialect: dialect, at: now, on: db, policies: policies)
        if let lookupsAhead {
            adopt(try await lookupsAhead.first(policies: policies))
        } else {
            adopt(try await IngestReads.read(for: requests, dialect: dialect, at: now, on: db, policies: policies))
        }
        tally.ingestBatch(alerts: requests.reduce(0) { $0 + $1.events.count })
        var outcomes: [[IngestOutcome]] = []
        for (index, request) in requests.enumerated() {
            if index > 0, let more = try await lookupsAhead?.reads(for: index, services: services) { merge(more) }
            var answers: [IngestOutcome] = []
            for event in request.events {
                answers.append(try await apply(event, request.integration))
                if dirtyAlerts.count >= Self.aheadChunk, let ahead {
                    try await flushAlerts { query in try ahead.writeAhead(query) }
                }
            }
            if let leftOut = request.leftOut { try await note(leftOut, leftOutOf: request) }
            outcomes.append(answers)
        }
        try await flush()
        return outcomes
    }

    /// Places again the alerts `keys` name that a silence held back and that still fire now that
    /// it is over: each joins or opens an incident as a new alert would, unless another silence in
    /// force holds it. An alert placed meanwhile (by a new event, or another process) is left as it
    /// is.
    func release(_ keys: Set<IngestReads.AlertKey>) async throws -> [IngestOutcome] {
        adopt(try await IngestReads.read(alerts: keys, dialect: dialect, at: now, on: db))
        var outcomes: [IngestOutcome] = []
        for key in keys.sorted() {
            guard var alert = alerts[key.service]?[key.dedupKey], outlivedItsSilence(alert), let service = services[key.service] else {
                continue
            }
            try await place(&alert, change: .released, service: service)
            remember(alert)
            outcomes.append(
                IngestOutcome(
                    dedupKey: alert.dedupKey, change: .released, alertID: alert.id, incident: alert.incidentReference,
                    silenced: alert.silenceID != nil))
        }
        try await flush()
        return outcomes
    }

    private func adopt(_ reads: IngestReads) {
        services = reads.services
        silences = reads.silences
        alerts = reads.alerts
        incidents = reads.incidents
        groupLookups = reads.groupLookups
    }

    /// Takes a later request's lookups, read ahead: they show the database before this batch, so
    /// whatever the batch holds already is newer and stays.
    private func merge(_ more: IngestReads) {
        for (service, found) in more.alerts {
            for (key, alert) in found where alerts[service]?[key] == nil { alerts[service, default: [:]][key] = alert }
        }
        for (id, incident) in more.incidents where incidents[id] == nil { incidents[id] = incident }
        for (key, found) in more.groupLookups where groupLookups[key] == nil { groupLookups[key] = found }
    }

    private func apply(_ event: AlertEvent, _ integration: Integration) async throws -> IngestOutcome {
        let service = services[integration.service]!
        var alert: Alert
        let change: AlertChange
        if var found = alerts[service.id]?[event.dedupKey] {
            change = found.receive(event, at: now)
            alert = found
        } else {
            guard event.action == .trigger else {
                return IngestOutcome(dedupKey: event.dedupKey, change: .ignored, alertID: nil, incident: nil, silenced: false)
            }
            alert = Alert(id: TimeOrderedID.make(at: now), integrationID: integration.id, service: service.id, event: event, at: now)
            unwrittenNew.insert(alert.id)
            change = .opened
        }
        let released = change == .repeated && outlivedItsSilence(alert)
        if change == .opened || change == .refired || released {
            try await place(&alert, change: released ? .released : change, service: service)
        }
        remember(alert)
        switch change {
        case .resolved:
            try await noteResolution(of: alert, service: service)
        case .acknowledged:
            if let id = alert.incidentID, var incident = try await incident(id), incident.status == .triggered {
                record(try incident.acknowledge(by: integration.name, at: now), on: incident)
            }
        default:
            break
        }
        return IngestOutcome(
            dedupKey: alert.dedupKey, change: change, alertID: alert.id, incident: alert.incidentReference,
            silenced: alert.silenceID != nil && (change == .opened || change == .refired || released))
    }

    /// Tells the incidents this request's alerts belong to how many alerts its sender left out.
    private func note(_ leftOut: LeftOutAlerts, leftOutOf request: IngestRequest) async throws {
        var seen: Set<UUID> = []
        for event in request.events where seen.count < IngestRequest.maxIncidentsNoted {
            guard let id = alerts[request.integration.service]?[event.dedupKey]?.incidentID, seen.insert(id).inserted else { continue }
            // Alertmanager says 0 in every notification; the group's open incident is then mostly
            // cached already (read up front), so clearing an old count rarely costs a query.
            guard var incident = try await incident(id), incident.status != .closed else { continue }
            let entries = incident.senderLeftOut(leftOut.count, group: leftOut.group, sender: request.integration.name, at: now)
            if !entries.isEmpty { record(entries, on: incident) }
        }
    }

    /// A firing alert is held back by a silence in force, or else joins (or opens) an incident.
    private func place(_ alert: inout Alert, change: AlertChange, service: ServiceRecord) async throws {
        if let silence = silences.first(where: { $0.silences(alert.labels, service: service.id, at: now) }) {
            alert.silenceID = silence.id
        } else {
            alert.silenceID = nil
            let incident = try await attach(alert, change: change, service: service)
            alert.incidentID = incident.id
            alert.incidentReference = incident.reference
        }
    }

    /// Whether a silence held this alert back, it still fires, and that silence is no longer in
    /// force: a maintenance window that ends on a system still broken must page.
    private func outlivedItsSilence(_ alert: Alert) -> Bool {
        guard alert.status == .firing, alert.incidentID == nil, let id = alert.silenceID else { return false }
        return !silences.contains { $0.id == id }
    }

    private func remember(_ alert: Alert) {
        // Firing counts exist only once a resolution asked for them; then the alert moves in them.
        if !firing.isEmpty {
            for key in alerts[alert.service]?[alert.dedupKey].map(Self.firingKeys) ?? [] { firing[key]?.remove(alert.id) }
            if alert.status == .firing {
                for key in Self.firingKeys(of: alert) { firing[key]?.insert(alert.id) }
            }
        }
        alerts[alert.service, default: [:]][alert.dedupKey] = alert
        dirtyAlerts[alert.id] = alert
    }

    private static func firingKeys(of alert: Alert) -> [FiringKey] {
        [alert.incidentID.map(FiringKey.incident), alert.silenceID.map(FiringKey.silence)].compactMap { $0 }
    }

    /// The alerts of an incident or silence still firing, this batch's changes included.
    private func firingAlerts(of key: FiringKey) async throws -> Set<UUID> {
        if let known = firing[key] { return known }
        let (column, id) =
            switch key {
            case .incident(let id): ("incident_id", id)
            case .silence(let id): ("silence_id", id)
            }
        var ids = Set(
            try await db.raw(
                """
                SELECT id FROM alerts WHERE \(ident: column) = \(bind: id.text) AND status = 'firing'
                """
            ).all().compactMap { UUID(uuidString: try $0.decode(column: "id", as: String.self)) })
        // The database holds this batch's alerts as they were before it, or when last sent
        // ahead; their state since is here.
        for alert in dirtyAlerts.values {
            ids.remove(alert.id)
            if alert.status == .firing, Self.firingKeys(of: alert).contains(key) { ids.insert(alert.id) }
        }
        firing[key] = ids
        return ids
    }

    private func attach(_ alert: Alert, change: AlertChange, service: ServiceRecord) async throws -> Incident {
        let policy = service.alertPolicy
        if change == .refired, let id = alert.incidentID, var incident = try await incident(id), incident.status.isOpen {
            record(incident.join(alert, change: change, at: now), on: incident)
            raiseIfMoreSevere(id, by: alert)
            return incidents[incident.id]!
        }
        let group = IngestReads.GroupLookup(service: service.id, policy: policy, labels: alert.labels, at: now)
        if groupLookups[group.key] == nil {
            // Read up front for every triggering event; this runs only for an alert whose labels
            // are not its event's.
            var more = IngestReads()
            try await more.readGroups([group], dialect: dialect, on: db)
            for (id, incident) in more.incidents where incidents[id] == nil { incidents[id] = incident }
            groupLookups[group.key] = .some(more.groupLookups[group.key] ?? nil)
        }
        let candidate = groupLookups[group.key] ?? nil
        if let id = candidate, var incident = incidents[id], incident.status.isOpen,
            policy.withinWindow(openedAt: incident.detectedAt, now: now)
        {
            record(incident.join(alert, change: change, at: now), on: incident)
            raiseIfMoreSevere(id, by: alert)
            return incidents[id]!
        }
        let number = try await SQLStore.nextIncidentNumber(at: now, on: db)
        let severity = mapping.severity(for: alert.severity, in: scheme)
        let (incident, entries) = Incident.open(
            from: alert, id: UUID(), number: number, severity: severity, groupKey: group.groupKey, at: now)
        newIncidents.append(incident.id)
        incidents[incident.id] = incident
        groupLookups[group.key] = incident.id
        record(entries, on: incident)
        return incident
    }

    /// A more severe alert raises its incident's severity; one that now pages at once is paged
    /// again when the batch flushes (an incident opened in this batch starts paging then anyway).
    private func raiseIfMoreSevere(_ id: UUID, by alert: Alert) {
        guard var incident = incidents[id] else { return }
        let severity = mapping.severity(for: alert.severity, in: scheme)
        let entries = incident.raiseSeverity(to: severity, for: alert, scheme: scheme, at: now)
        guard !entries.isEmpty else { return }
        record(entries, on: incident)
        if (try? scheme.level(named: severity))?.pageImmediately == true { raised.insert(id) }
    }

    private func noteResolution(of alert: Alert, service: ServiceRecord) async throws {
        if let id = alert.incidentID, var incident = try await incident(id), incident.status != .closed {
            let stillFiring = try await firingAlerts(of: .incident(id)).count
            let (note, after) = incident.alertResolved(
                alert, stillFiring: stillFiring, autoResolve: service.alertPolicy.autoResolve, at: now)
            record(note, on: incident)
            record(after, on: incident)
        }
        if let id = alert.silenceID, var silence = try await SQLStore.loadSilence(id, on: db), silence.expireWhenResolved,
            silence.endsAt > now
        {
            if try await firingAlerts(of: .silence(id)).isEmpty {
                silence.endsAt = max(now, silence.startsAt)
                try await SQLStore.saveSilence(silence, on: db)
                silences.removeAll { $0.id == id }
            }
        }
    }

    /// The incident, from this batch's cache or the database (locked).
    private func incident(_ id: UUID) async throws -> Incident? {
        if let cached = incidents[id] { return cached }
        guard let loaded = try await SQLStore.loadIncident(id.uuidString, lock: dialect.lockRowSuffix, on: db) else { return nil }
        incidents[id] = loaded
        return loaded
    }

    private func record(_ entries: [TimelineDraft], on incident: Incident) {
        incidents[incident.id] = incident
        dirtyIncidents.insert(incident.id)
        guard !entries.isEmpty else { return }
        closeNote(of: incident.id)
        append(entries, to: incident.id)
    }

    /// Records an alert's change, in the incident's open note when it fits there.
    private func record(_ note: AlertChangeNote, on incident: Incident) {
        incidents[incident.id] = incident
        dirtyIncidents.insert(incident.id)
        if notes[incident.id]?.absorb(note) == true { return }
        closeNote(of: incident.id)
        append([], to: incident.id)  // takes the incident's place in `timelineOrder` now
        notes[incident.id] = note
    }

    private func closeNote(of id: UUID) {
        guard let note = notes.removeValue(forKey: id) else { return }
        append([note.draft], to: id)
    }

    private func append(_ entries: [TimelineDraft], to id: UUID) {
        if timeline[id] == nil { timelineOrder.append(id) }
        timeline[id, default: []] += entries
    }

    private func flush() async throws {
        for id in timelineOrder { closeNote(of: id) }
        try await flushAlerts()
        let opened = newIncidents.map { incidents[$0]! }
        try SQLStore.insertIncidents(opened, into: writes)
        tally.incidentsOpened(opened, source: "alerts")
        let openedIDs = Set(newIncidents)
        for id in dirtyIncidents.subtracting(openedIDs).sorted(by: { $0.uuidString < $1.uuidString }) {
            try SQLStore.save(incidents[id]!, into: writes)
        }
        let paging = PagingBatch(db: db, now: now, logger: logger, tally: tally)
        for incident in opened { try await paging.start(incident, scheme: scheme) }
        for id in raised.subtracting(openedIDs).sorted(by: { $0.uuidString < $1.uuidString }) {
            guard var incident = incidents[id],
                var escalation = try await SQLStore.loadEscalation(of: id, lock: dialect.lockRowSuffix, on: db)
            else { continue }
            escalation.severityRaised(incidentStatus: incident.status, at: now)
            try await paging.fire(&escalation, for: &incident)
        }
        // Every incident with entries is new or was locked when loaded.
        let entries = timelineOrder.flatMap { id in (timeline[id] ?? []).map { (id, $0) } }
        try await paging.flush(lock: "", into: writes, leading: entries)
        try await writes.run(on: db, lastAtCommit: true)
    }

    /// The alerts' documents; from 64 alerts (one Alertmanager batch of 100 on SQLite, say) they
    /// are encoded half here and half on another core, since the writer is the one serial stage of
    /// ingestion. Smaller batches are encoded here, as are the parts of `aheadChunk` alerts, whose
    /// encoding overlaps the database's work on the part before.
    static func documents(of alerts: [Alert]) async -> [String] {
        guard alerts.count >= 64 else { return alerts.map(AlertDocument.encode) }
        let half = alerts.count / 2
        let second = Task(executorPreference: globalConcurrentExecutor) { alerts[half...].map(AlertDocument.encode) }
        let first = alerts[..<half].map(AlertDocument.encode)
        return first + (await second.value)
    }

    /// Changed alerts sent ahead, this many at a time, where the database can run them while the
    /// writer goes on (`WritingAhead`): PostgreSQL inserts one part while the writer applies the
    /// next events, instead of the two waiting for each other.
    static let aheadChunk = 25

    /// Queues changed alerts in multi-row statements (inserts for new ones, upserts for the rest),
    /// or sends them with `send`. `firingAlerts` counts on the database holding every alert as it
    /// was before this batch or when last sent, and `dirtyAlerts` holding every change since.
    private func flushAlerts(send: ((SQLQueryString) throws -> Void)? = nil) async throws {
        guard !dirtyAlerts.isEmpty else { return }
        let pending = Array(dirtyAlerts.values)
        dirtyAlerts.removeAll()
        let documents = await Self.documents(of: pending)
        var fresh = alertRows()
        var changed = alertRows()
        for (alert, document) in zip(pending, documents) {
            let isNew = unwrittenNew.remove(alert.id) != nil
            func add(to rows: inout SQLValueRows) throws {
                rows.append(
                    alert.id.text, alert.service, alert.dedupKey, alert.integrationID.text, alert.status.rawValue,
                    alert.incidentID?.text, alert.silenceID?.text, alert.lastSeen.millis, document)
                if rows.count == alertRowsPerStatement { try queueAlerts(&rows, upsert: !isNew, send: send) }
            }
            if isNew { try add(to: &fresh) } else { try add(to: &changed) }
        }
        try queueAlerts(&fresh, upsert: false, send: send)
        try queueAlerts(&changed, upsert: true, send: send)
    }

    private var alertRowsPerStatement: Int { SQLValueRows.rowsPerStatement(listRows: 200, for: dialect) }

    private func alertRows() -> SQLValueRows {
        SQLValueRows(width: 9, rows: min(alertRowsPerStatement, 200), for: dialect)
    }

    private func queueAlerts(_ rows: inout SQLValueRows, upsert: Bool, send: ((SQLQueryString) throws -> Void)?) throws {
        guard !rows.isEmpty else { return }
        let conflict: SQLQueryString =
            upsert
            ? """
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, incident_id = excluded.incident_id,
                silence_id = excluded.silence_id, last_seen = excluded.last_seen, document = excluded.document
            """ : ""
        let insert: SQLQueryString = """
            INSERT INTO alerts (id, service, dedup_key, integration_id, status, incident_id, silence_id, last_seen, document)
            \(rows) \(conflict)
            """
        if let send { try send(insert) } else { writes.add(insert, binds: rows.bindCount, writes: "alerts") }
        rows = alertRows()
    }
}
