import Foundation
import MusterCore
import MusterStore

/// What the incident page shows: the incident's facts and clocks, who was paged, its alerts and
/// timeline, and the forms a responder may use in its current state.
struct IncidentDetailPage: PageModel {
    struct Target: PageModel {
        var name: String
        var state: String
        var deadline: PageViews.Time
        var running: Bool
        var breached: Bool
        var text: String
    }
    /// When the next update to an audience is due.
    struct Clock: PageModel {
        var name: String
        var due: PageViews.Time
        var late: Bool
        var text: String
    }
    struct Role: PageModel {
        var role: String
        var title: String
        var assignee: String
    }
    struct Paged: PageModel {
        var user: String
        var channel: String
        var level: Int
        var status: String
        var delivered: Bool
        var failed: Bool
        var error: String?
        var due: PageViews.Time
    }
    /// A message to a stakeholder group, and how its delivery went.
    struct Told: PageModel {
        var group: String
        var kind: String
        var channel: String
        var status: String
        var delivered: Bool
        var failed: Bool
        var error: String?
    }
    struct EscalationView: PageModel {
        var policy: String
        var level: String
        var next: PageViews.Time?
        var text: String
    }
    struct AlertGroup: PageModel {
        var name: String
        var count: Int
        var firing: Int
        var occurrences: Int
        var summary: String
        var links: [AlertLink]
        var runbook: String?
        var lastSeen: PageViews.Time
    }
    struct Entry: PageModel {
        var id: String
        var kind: String
        var kindLabel: String
        var at: PageViews.Time
        var recordedLater: PageViews.Time?
        var author: String
        var text: String
        var state: String?
        var openHypothesis: Bool
        var result: String?
    }

    var person: [String: String]
    var canWrite: Bool
    var reference: String
    var title: String
    var summary: String?
    var severity: String
    var severityRank: Int
    var status: String
    var statusLabel: String
    var isOpen: Bool
    /// Whether customers can follow it on the status page.
    var published: Bool
    /// The name on the status page, as the form shows it (empty: the title).
    var pageName: String
    var services: String?
    var channel: String?
    var bridge: String?
    var detected: PageViews.Time
    var impactStarted: PageViews.Time?
    var acknowledged: PageViews.Time?
    var resolved: PageViews.Time?
    var impact: String
    var resolution: String?
    var rootCause: String?
    var roles: [Role]
    var targets: [Target]
    var clocks: [Clock]
    /// The update just written, shown before it is published.
    var updatePreview: String?
    var phases: [PageViews.Option]
    var paged: [Paged]
    var told: [Told]
    /// The action items that came out of it, as "[P0, open] title · owner, due …".
    var actionItems: [String]
    var hasActionItems: Bool
    var anyTold: Bool
    var escalation: EscalationView?
    var alertGroups: [AlertGroup]
    var recentChanges: Changes
    var checklist: ChecklistPart
    var rolesNeeded: RolesNeeded
    var runbooks: RunbooksPart
    /// While monitoring: since when, and until when to watch before resolving.
    var stability: Stability?
    var alertCount: Int
    /// How many of the newest alerts the groups count, when that is not all of them.
    var alertsPartly: Int?
    var entries: [Entry]
    var newestFirst: Bool
    /// How many entries the timeline has, when the page shows only some of them.
    var entriesHidden: Int?
    var canAcknowledge: Bool
    var canResolve: Bool
    /// What speaks against resolving now; the resolve form then asks for a reason.
    var resolveHolds: [String]
    var hasResolveHolds: Bool
    var canClose: Bool
    var canReopen: Bool
    var statusOptions: [PageViews.Option]
    var severityOptions: [PageViews.Option]
    var roleOptions: [PageViews.Option]
    var people: [PageViews.Option]
    var kindOptions: [PageViews.Option]
    var mitigations: [PageViews.Option]
    var mitigationNotes: [MitigationNote]
    /// The mitigation kinds with a hook, and where each goes (host only).
    var hooksText: String
    var hasHooks: Bool
    var matrix: PageViews.Matrix
    /// Why the form just sent was refused, at the top of the page.
    var banner: String?
    /// Messages by form, then by field, shown beside the field.
    var errors: [String: [String: String]]
    /// What was typed into the form that failed, by form and field, to fill it in again.
    var values: [String: [String: String]]
}

extension IncidentDetailPage {
    /// Timeline entries a page shows unless asked for all.
    static let entriesShown = 300

    /// The newest alerts the page groups.
    static let alertsGrouped = 500

    /// The page of `incident` as `signedIn` sees it at `now`.
    static func build(
        _ incident: Incident, for signedIn: WebAuth.SignedIn, env: APIEnvironment, newestFirst: Bool = true, allEntries: Bool = false,
        banner: String? = nil, updatePreview: String? = nil, errors: [String: [String: String]] = [:],
        values: [String: [String: String]] = [:]
    ) async throws -> IncidentDetailPage {
        let now = env.now()
        let scheme = env.scheme
        async let timeline = env.stores.incidents.timeline(of: incident.id)
        async let pages = env.stores.paging.notifications(of: incident.id)
        async let escalation = env.stores.paging.escalation(of: incident.id)
        // The newest alerts are grouped; a storm's full count comes from the index.
        async let alerts = env.stores.alerts.alerts(AlertQuery(incidentID: incident.id, limit: Self.alertsGrouped))
        async let alertTotal = env.stores.alerts.countAlerts(AlertQuery(incidentID: incident.id))
        async let users = env.stores.onCall.users()
        async let items = env.stores.learning.actionItems(ActionItemQuery(incidentID: incident.id))
        async let marks = env.stores.checklists.checklistMarks(of: incident.id)
        async let serviceRecords = env.serviceRecords(of: incident)
        let stored = try await timeline
        // A long timeline shows its newest (or oldest) part first: on a phone, a whole storm's
        // record is a lot to load to read the last few minutes.
        let shown =
            allEntries || stored.count <= Self.entriesShown
            ? stored : Array(newestFirst ? stored.suffix(Self.entriesShown) : stored.prefix(Self.entriesShown))
        let entries = shown.map(entry)
        let allAlerts = try await alerts
        let canWrite = signedIn.user.role.canWrite
        let sent = try await pages
        let told = sent.compactMap(Self.told)
        let checklist = try await Checklists(env: env).checklist(of: incident, marks: try await marks)
        let holds = incident.status.isOpen ? incident.resolveHolds(checklist: checklist, stabilityWindow: env.stabilityWindow, now: now) : []
        return IncidentDetailPage(
            person: signedIn.view, canWrite: canWrite, reference: incident.reference, title: incident.title,
            summary: incident.summary.isEmpty ? nil : incident.summary, severity: incident.severity,
            severityRank: PageViews.rank(incident.severity, in: scheme), status: incident.status.rawValue,
            statusLabel: PageViews.Matrix.label(incident.status.rawValue), isOpen: incident.status.isOpen, published: incident.isPublished,
            pageName: incident.publicName ?? "",
            services: incident.services.isEmpty ? nil : incident.services.joined(separator: ", "), channel: incident.channel,
            bridge: incident.bridge,
            detected: .init(incident.detectedAt),
            impactStarted: incident.impactStartedAt.map(PageViews.Time.init),
            acknowledged: incident.acknowledgedAt.map(PageViews.Time.init),
            resolved: incident.resolvedAt.map(PageViews.Time.init), impact: incident.impact.words,
            resolution: incident.resolution, rootCause: incident.rootCause,
            roles: incident.roles.map { Role(role: $0.role.rawValue, title: $0.role.title, assignee: $0.assignee) },
            targets: targets(incident, scheme: scheme, now: now), clocks: clocks(incident, scheme: scheme, now: now),
            updatePreview: updatePreview,
            phases: UpdatePhase.allCases.map {
                PageViews.Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == Self.phase(of: incident.status))
            },
            paged: sent.filter { $0.broadcast == nil }.map(paged), told: told,
            actionItems: try await items.map { PageViews.actionItemLine($0, at: now) }, hasActionItems: try await !items.isEmpty,
            anyTold: !told.isEmpty,
            escalation: try await escalation.map { view($0, now: now) },
            alertGroups: groups(allAlerts),
            recentChanges: try await changes(incident, timeline: stored, services: try await serviceRecords, canWrite: canWrite, env: env),
            checklist: checklistPart(checklist),
            rolesNeeded: rolesNeeded(try await ResponseRoles(env: env).coverage(of: incident, services: try await serviceRecords)),
            runbooks: try await runbooksPart(incident, alerts: allAlerts, services: try await serviceRecords, env: env),
            stability: stability(incident, window: env.stabilityWindow, now: now),
            alertCount: try await alertTotal,
            alertsPartly: allAlerts.count == Self.alertsGrouped ? Self.alertsGrouped : nil,
            entries: newestFirst ? entries.reversed() : entries, newestFirst: newestFirst,
            entriesHidden: stored.count > shown.count ? stored.count : nil,
            canAcknowledge: canWrite && incident.status == .triggered,
            canResolve: canWrite && incident.status.isOpen, resolveHolds: holds, hasResolveHolds: !holds.isEmpty, canClose: canWrite && incident.status == .resolved,
            canReopen: canWrite && !incident.status.isOpen,
            statusOptions: StatusTransitions.allowed(from: incident.status).filter { $0 != .resolved && $0 != .closed }.map {
                PageViews.Option(value: $0.rawValue, label: PageViews.Matrix.label($0.rawValue))
            },
            severityOptions: PageViews.severities(scheme, selected: incident.severity),
            roleOptions: IncidentRole.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.title) },
            people: try await users.filter(\.isActive).map { PageViews.Option(value: $0.id, label: "\($0.name) (\($0.id))") },
            kindOptions: TimelineKind.manual.filter { $0 != .updatePublished }.map {
                PageViews.Option(value: $0.rawValue, label: PageViews.Matrix.label($0.rawValue))
            },
            mitigations: MitigationKind.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.label) },
            mitigationNotes: MitigationKind.allCases.filter { $0 != .other }.map { MitigationNote(label: $0.label, fits: $0.fits, risk: $0.risk) },
            hooksText: env.mitigationHooks.kinds.map { "\($0.label) → \(env.mitigationHooks.shownAddress(for: $0) ?? "")" }
                .joined(separator: "; "),
            hasHooks: !env.mitigationHooks.isEmpty,
            matrix: PageViews.Matrix(scheme: scheme), banner: banner, errors: errors, values: values)
    }

    private static func targets(_ incident: Incident, scheme: SeverityScheme, now: Date) -> [Target] {
        guard let level = try? scheme.level(named: incident.severity) else { return [] }
        let targets = ResponseTargets(incident: incident, severity: level, now: now)
        return [target("Acknowledge", targets.acknowledge), target("Resolve", targets.resolve)]
    }

    /// The update clocks as the pages show them.
    static func clocks(_ incident: Incident, scheme: SeverityScheme, now: Date) -> [Clock] {
        guard let level = try? scheme.level(named: incident.severity) else { return [] }
        return incident.updateClocks(severity: level, now: now).map { clock in
            Clock(
                name: clock.audience == "internal" ? "Internal update" : "External update", due: .init(clock.dueAt), late: clock.late,
                text: clock.late ? "\(WebTime.span(clock.seconds)) late" : "due in \(WebTime.span(clock.seconds))")
        }
    }

    /// The phase an update most likely tells, from the incident's status.
    static func phase(of status: IncidentStatus) -> UpdatePhase {
        switch status {
        case .triggered, .acknowledged, .investigating: .investigating
        case .identified: .identified
        case .monitoring: .monitoring
        case .resolved, .closed: .resolved
        }
    }

    /// One response target as the pages show it.
    static func target(_ name: String, _ status: TargetStatus) -> Target {
        let text: String
        switch status.state {
        case .running: text = "\(WebTime.span(status.remainingSeconds)) left"
        case .met: text = "met"
        case .breached: text = "breached by \(WebTime.span(status.overdueSeconds))"
        }
        return Target(
            name: name, state: status.state.rawValue, deadline: .init(status.deadline), running: status.state == .running,
            breached: status.state == .breached, text: text)
    }

    private static func groups(_ alerts: [Alert]) -> [AlertGroup] {
        let grouped = Dictionary(grouping: alerts) { $0.labels["alertname"] ?? $0.summary }
        return grouped.map { name, members in
            let newest = members.max { $0.lastSeen < $1.lastSeen }!
            return AlertGroup(
                name: name, count: members.count, firing: members.filter { $0.status == .firing }.count,
                occurrences: members.reduce(0) { $0 + $1.occurrences }, summary: newest.summary,
                links: Array(Set(members.flatMap(\.links))).sorted { $0.href < $1.href }.prefix(5).map { $0 },
                runbook: members.lazy.compactMap { $0.annotations["runbook_url"] }.first, lastSeen: .init(newest.lastSeen))
        }
        .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }
}
