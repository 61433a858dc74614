import Foundation
import Logging
import MusterCore
import SQLKit

/// The paging work of one transaction: starts escalations for new incidents (paging their first
/// level at once), fires due levels, and writes the pages, escalations and timeline entries in a
/// few multi-row statements at the end (`flush`). Targets and policies are looked up once per batch.
final class PagingBatch {
    let db: any SQLDatabase
    let now: Date
    private var policies: [String: EscalationPolicy?] = [:]
    private var resolvedTargets: [EscalationTarget: [User]] = [:]
    private(set) var pages: [Page] = []
    private var escalations: [Escalation] = []
    private var entries: [(UUID, TimelineDraft)] = []
    private var lapsed: [Incident] = []
    /// Levels paged so far.
    private(set) var fired = 0
    /// Incidents that paged nobody, and why, for one warning per transaction.
    private(set) var unpaged: [String] = []

    let logger: Logger
    /// Counts the pages queued, for the metrics once the transaction commits.
    let tally: MetricsTally

    init(db: any SQLDatabase, now: Date, logger: Logger, tally: MetricsTally) {
        self.db = db
        self.now = now
        self.logger = logger
        self.tally = tally
    }

    /// Snapshots the policy of the incident's first service that has one, and pages its first
    /// level in this same transaction: nobody waits for an engine cycle to be paged.
    func start(_ incident: Incident, scheme: SeverityScheme, at start: Date? = nil) async throws {
        for service in incident.services {
            guard let policy = try await policy(of: service) else { continue }
            let atOnce = (try? scheme.level(named: incident.severity))?.pageImmediately ?? true
            let from = start ?? incident.detectedAt
            var escalation =
                atOnce
                ? Escalation(incidentID: incident.id, policy: policy, startAt: from)
                : Escalation(incidentID: incident.id, policy: policy, deferredFrom: from)
            if !atOnce, let due = escalation.dueAt {
                entries.append(
                    (
                        incident.id,
                        TimelineDraft(
                            kind: .page, at: now, author: "muster",
                            text:
                                "\(incident.severity) does not page at once: level 1 pages at \(due.iso8601) unless someone acknowledges first",
                            details: ["deferredUntil": due.iso8601])
                    ))
            }
            var incident = incident
            try await fire(&escalation, for: &incident)
            return
        }
        let why =
            incident.services.isEmpty
            ? "it names no service, so no escalation policy applies"
            : "no escalation policy is set for \(incident.services.joined(separator: ", "))"
        entries.append(
            (
                incident.id,
                TimelineDraft(
                    kind: .page, at: now, author: "muster", text: "Nobody was paged: \(why)", details: ["unpaged": "no-policy"])
            ))
        unpaged.append("\(incident.reference) (\(why))")
    }

    /// Pages whatever is due on one escalation, or ends it when nobody needs paging any more:
    /// the core decides (`Escalation.decide`), this does the reads and queues the writes.
    func fire(_ escalation: inout Escalation, for incident: inout Incident) async throws {
        let lapsedBefore = incident.status
        let (decision, decided) = escalation.decide(for: &incident, at: now)
        var drafts = decided
        if lapsedBefore != incident.status { lapsed.append(incident) }
        switch decision {
        case .stopped, .waiting:
            break
        case .ranOut(let entry):
            drafts.append(entry)
            unpaged.append("\(incident.reference) (escalation ran out, nobody acknowledged)")
        case .page(let step):
            fired += 1
            drafts += try await page(step, for: incident)
        }
        escalations.append(escalation)
        entries += drafts.map { (incident.id, $0) }
    }

    /// Resolves the step's targets to active people (looked up once per batch), queues a page
    /// to each contact method of each person the core picks, and returns the timeline entries.
    private func page(_ step: Escalation.Step, for incident: Incident) async throws -> [TimelineDraft] {
        var people: [EscalationTarget: [String]] = [:]
        var users: [String: User] = [:]
        for target in step.targets {
            let resolved: [User]
            if let cached = resolvedTargets[target] {
                resolved = cached
            } else {
                resolved = try await SQLStore.resolve(target, at: now, on: db)
                resolvedTargets[target] = resolved
            }
            people[target] = resolved.map(\.id)
            for user in resolved { users[user.id] = user }
        }
        let (paged, drafts) = step.recipients(people, at: now)
        if paged.isEmpty { unpaged.append("\(incident.reference) (level \(step.level + 1) resolves to nobody on call)") }
        for (id, _) in paged {
            guard let user = users[id] else { continue }
            pages += user.contactMethods.map {
                Page(id: UUID(), incident: incident, user: user.id, contact: $0, level: step.level + 1, at: now)
            }
        }
        return drafts
    }

    private func policy(of service: String) async throws -> EscalationPolicy? {
        if let cached = policies[service] { return cached }
        var policy: EscalationPolicy?
        if let id = try await db.raw("SELECT escalation_policy FROM services WHERE id = \(bind: service)").first()?
            .decode(column: "escalation_policy", as: String?.self),
            let row = try await db.raw("SELECT document FROM escalation_policies WHERE id = \(bind: id)").first()
        {
            policy = try DocumentCoding.decode(EscalationPolicy.self, from: row.decode(column: "document", as: String.self))
        }
        policies[service] = policy
        return policy
    }

    /// Queues everything gathered into `writes`, after `leading` timeline entries of the caller's
    /// (one timeline insert numbers them all). `lock` locks the incidents whose timelines grow,
    /// unless the caller already holds them.
    func flush(lock: String, into writes: WriteBatch, leading: [(UUID, TimelineDraft)] = []) async throws {
        let timeline = leading + entries
        try await SQLStore.lockIncidents(Set(timeline.map(\.0)), lock: lock, on: db)
        try SQLStore.insertNotifications(pages, into: writes)
        tally.pagesQueued(pages)
        try SQLStore.upsertEscalations(escalations, into: writes)
        for incident in lapsed { try SQLStore.save(incident, into: writes) }
        SQLStore.appendTimelines(timeline, into: writes)
        if !unpaged.isEmpty {
            // One line per transaction: a storm of unpaged incidents must not flood the log.
            let shown = unpaged.prefix(5).joined(separator: "; ") + (unpaged.count > 5 ? "; and \(unpaged.count - 5) more" : "")
            logger.warning("\(unpaged.count) incident\(unpaged.count == 1 ? "" : "s") paged nobody: \(shown)")
        }
        unpaged.removeAll()
        pages.removeAll()
        escalations.removeAll()
        lapsed.removeAll()
        entries.removeAll()
    }
}
