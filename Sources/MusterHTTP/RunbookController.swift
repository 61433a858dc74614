import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/runbooks` and an incident's matching runbooks, whose task lists can become its
/// checklist items.
struct RunbookController {
    let env: APIEnvironment

    struct RunbookRequest: Decodable {
        var id: String?
        var title: String
        var services: [String]?
        var labels: [String: String]?
        var body: String
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("runbooks") { request, context -> EditedResponse<Runbook> in
            let author = try context.writer().name
            let body = try await APICoding.decode(RunbookRequest.self, from: request, limit: env.maxBodyBytes)
            guard let id = body.id else { throw Problem.invalid("id", "'id' is required.") }
            if try await env.stores.runbooks.runbook(id) != nil {
                throw StoreError.conflict("A runbook '\(id)' exists; change it with PUT /api/v1/runbooks/\(id).")
            }
            return EditedResponse(status: .created, response: try await save(body, id: id, by: author))
        }
        group.put("runbooks/:id") { request, context -> Runbook in
            let author = try context.writer().name
            let id = try context.parameters.require("id")
            let body = try await APICoding.decode(RunbookRequest.self, from: request, limit: env.maxBodyBytes)
            if let named = body.id, named != id { throw Problem.invalid("id", "'id' must be the one in the path, '\(id.prefix(60))'.") }
            return try await save(body, id: id, by: author)
        }
        group.get("runbooks") { request, context -> ListEnvelope<Runbook> in
            _ = try context.caller()
            return try ListEnvelope(paging: try await env.stores.runbooks.runbooks(), request)
        }
        group.get("runbooks/:id") { _, context -> Runbook in
            _ = try context.caller()
            return try await runbook(try context.parameters.require("id"))
        }
        group.delete("runbooks/:id") { _, context -> HTTPResponse.Status in
            _ = try context.writer()
            try await env.stores.runbooks.deleteRunbook(try context.parameters.require("id"))
            return .noContent
        }
        group.get("incidents/:id/runbooks") { _, context -> IncidentRunbooks in
            _ = try context.caller()
            return try await IncidentRunbooks.build(try await Postmortems(env: env).incident(try context.parameters.require("id")), env: env)
        }
        group.post("incidents/:id/runbooks/:runbook/checklist") { _, context -> EditedResponse<ChecklistView> in
            let author = try context.writer().name
            let key = try context.parameters.require("id")
            let checklist = try await Self.addChecklist(
                of: try await runbook(try context.parameters.require("runbook")), to: key, by: author, env: env)
            return EditedResponse(status: .created, response: ChecklistView(checklist))
        }
    }

    private func save(_ body: RunbookRequest, id: String, by author: String) async throws -> Runbook {
        try await env.stores.runbooks.saveRunbook(
            try Runbook(
                id: id, title: body.title, services: body.services ?? [], labels: body.labels ?? [:], body: body.body, by: author,
                at: env.now()))
    }

    private func runbook(_ id: String) async throws -> Runbook {
        guard let runbook = try await env.stores.runbooks.runbook(id) else { throw Problem.notFound("No runbook '\(id.prefix(80))'.") }
        return runbook
    }

    /// Adds the runbook's task-list items to incident `key`'s checklist, those not there already.
    static func addChecklist(of runbook: Runbook, to key: String, by author: String, env: APIEnvironment) async throws
        -> IncidentChecklist
    {
        let items = runbook.checklistItems
        guard !items.isEmpty else { throw Problem.invalid("runbook", "'\(runbook.title)' has no task list (lines such as '- [ ] Check the pool').") }
        let checklists = Checklists(env: env)
        let incident = try await Postmortems(env: env).incident(key)
        var checklist = try await checklists.checklist(of: incident)
        var present = Set(checklist.items.map(\.text))
        for item in items where present.insert(item).inserted {
            checklist = try await checklists.add(key, text: item, by: author)
        }
        return checklist
    }
}

/// The runbooks that match an incident, and the runbook links its service and alerts carry.
struct IncidentRunbooks: ResponseEncodable {
    struct Matched: Encodable {
        var runbook: Runbook
        var reason: String
        var checklistItems: [String]
    }
    struct Link: Encodable {
        var href: String
        var from: String
    }

    var items: [Matched]
    var links: [Link]

    /// `alerts` (the newest 500) and `services` are the incident's, when the caller has read them.
    static func build(
        _ incident: Incident, env: APIEnvironment, alerts read: [Alert]? = nil, services records: [ServiceRecord]? = nil
    ) async throws -> IncidentRunbooks {
        var alerts = read ?? []
        if read == nil { alerts = try await env.stores.alerts.alerts(AlertQuery(incidentID: incident.id, limit: 500)) }
        var services = records ?? []
        if records == nil { services = try await env.serviceRecords(of: incident) }
        let labels = alerts.map(\.labels)
        let matched = try await env.stores.runbooks.runbooks().compactMap { runbook in
            runbook.match(services: incident.services, alertLabels: labels).map {
                Matched(runbook: runbook, reason: $0, checklistItems: runbook.checklistItems)
            }
        }
        var links: [Link] = []
        for service in services {
            if let url = service.runbookURL { links.append(Link(href: url, from: "service \(service.id)")) }
        }
        for alert in alerts {
            guard let url = alert.annotations["runbook_url"], !links.contains(where: { $0.href == url }) else { continue }
            links.append(Link(href: url, from: "alert \(alert.labels["alertname"] ?? alert.summary)"))
        }
        return IncidentRunbooks(items: matched, links: links)
    }
}

extension Runbook: ResponseEncodable {}
