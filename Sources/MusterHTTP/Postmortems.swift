import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// Post-mortems as the API and the pages use them: drafted from the incident's record, edited
/// section by section with the blameless check's findings, starred, submitted, published.
struct Postmortems {
    let env: APIEnvironment

    /// A post-mortem with each section's open blameless findings.
    struct Checked: Encodable, Sendable {
        var postmortem: Postmortem
        var findings: [String: [BlamelessFinding]]

        var count: Int { findings.values.reduce(0) { $0 + $1.count } }
    }

    /// The incident `key` names, or a 404.
    func incident(_ key: String) async throws -> Incident {
        guard let incident = try await env.stores.incidents.incident(key) else {
            throw Problem.notFound("No incident '\(key.prefix(120))'.")
        }
        return incident
    }

    /// The figures of an incident now: its times, targets, alerts, pages and people.
    func figures(_ incident: Incident, timeline read: [TimelineEntry]? = nil, changeAt: Date? = nil) async throws -> IncidentFigures {
        var timeline = read ?? []
        if read == nil { timeline = try await env.stores.incidents.timeline(of: incident.id) }
        async let alerts = env.stores.alerts.countAlerts(AlertQuery(incidentID: incident.id))
        async let pages = env.stores.paging.notifications(of: incident.id)
        return IncidentFigures(
            incident: incident, timeline: timeline, severity: try? env.scheme.level(named: incident.severity),
            alerts: try await alerts, pages: try await pages.filter { $0.level > 0 }.count, changeAt: changeAt, now: env.now())
    }

    /// The draft's sections for `incident`, with `starred` and `unstarred` entries honoured.
    func draft(_ incident: Incident, starred: [UUID] = [], unstarred: [UUID] = []) async throws -> [PostmortemSection] {
        let timeline = try await env.stores.incidents.timeline(of: incident.id)
        return PostmortemDraft(
            incident: incident, timeline: timeline, figures: try await figures(incident, timeline: timeline), starred: Set(starred),
            unstarred: Set(unstarred)
        ).sections(env.postmortemTemplate)
    }

    /// Drafts the post-mortem of a resolved incident, owned by its commander (else `author`).
    func create(_ key: String, owner: String?, by author: String) async throws -> Checked {
        let incident = try await incident(key)
        guard let resolvedAt = incident.resolvedAt else {
            throw Problem.invalid(
                nil, "\(incident.reference) is \(incident.status.rawValue); its post-mortem is drafted once it is resolved.")
        }
        let now = env.now()
        let policy = env.postmortemPolicy
        let due = policy.due(severity: incident.severity, resolvedAt: resolvedAt)
        let postmortem = Postmortem(
            id: UUID(), incident: incident, sections: try await draft(incident),
            owner: owner ?? incident.holders(of: .commander).first ?? author, required: policy.required.contains(incident.severity),
            dueAt: due, followUpAt: due.addingTimeInterval(Double(policy.followUpSeconds)), at: now)
        return try await checked(try await env.stores.learning.createPostmortem(postmortem))
    }

    /// The post-mortem of incident `key`, or a 404.
    func existing(_ key: String) async throws -> Postmortem {
        let incident = try await incident(key)
        guard let postmortem = try await env.stores.learning.postmortem(ofIncident: incident.id) else {
            throw Problem.notFound("\(incident.reference) has no post-mortem yet; draft one first.")
        }
        return postmortem
    }

    /// The post-mortem of incident `key` as Markdown (`md`) or as an HTML page (`html`), with the
    /// incident's action items.
    func export(_ key: String, format: String) async throws -> Response {
        let postmortem = try await existing(key)
        let items = try await env.stores.learning.actionItems(ActionItemQuery(incidentID: postmortem.incidentID))
        return try PostmortemController.export(postmortem, items: items, format: format)
    }

    /// Applies `change` to the post-mortem of incident `key`.
    func update(_ key: String, _ change: @escaping @Sendable (inout Postmortem) throws -> Void) async throws -> Checked {
        try await checked(try await env.stores.learning.updatePostmortem(try await existing(key).id, change))
    }

    /// Stars an entry into the timeline or out of it; a draft's timeline section is drafted again.
    func star(_ key: String, entry: UUID, _ on: Bool) async throws -> Checked {
        let incident = try await incident(key)
        guard try await env.stores.incidents.timeline(of: incident.id).contains(where: { $0.id == entry }) else {
            throw Problem.notFound("\(incident.reference) has no timeline entry \(entry.uuidString).")
        }
        let current = try await existing(key)
        var starred = current
        starred.star(entry, on, at: env.now())
        let sections = try await draft(incident, starred: starred.starred, unstarred: starred.unstarred)
        let timeline = sections.first { $0.id == "timeline" }?.body
        let now = env.now()
        return try await update(key) { postmortem in
            postmortem.star(entry, on, at: now)
            if postmortem.state == .draft, let timeline, let index = postmortem.sections.firstIndex(where: { $0.id == "timeline" }) {
                postmortem.sections[index].body = timeline
            }
        }
    }

    /// Publishes it; open findings need `override`.
    func publish(_ key: String, override: String?, by author: String) async throws -> Checked {
        let findings = try await checked(try await existing(key)).count
        let now = env.now()
        let followUp = Double(env.postmortemPolicy.followUpSeconds)
        return try await update(key) { postmortem in
            try postmortem.publish(findings: findings, override: override, by: author, at: now)
            postmortem.followUpAt = now.addingTimeInterval(followUp)
        }
    }

    /// Each section's findings, checked with the people Muster knows as names.
    func checked(_ postmortem: Postmortem) async throws -> Checked {
        let users = try await env.stores.onCall.users()
        let names = users.flatMap { [$0.id] + ($0.name.split(separator: " ").first.map { [String($0)] } ?? []) }
        let check = BlamelessCheck(rules: env.blamelessRules, people: names)
        var findings: [String: [BlamelessFinding]] = [:]
        for section in postmortem.sections {
            let found = check.findings(in: section.body)
            if !found.isEmpty { findings[section.id] = found }
        }
        return Checked(postmortem: postmortem, findings: findings)
    }
}
