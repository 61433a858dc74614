import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/incidents`: declare, list, show and run incidents.
struct IncidentController {
    let env: APIEnvironment

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("incidents", use: declare)
        group.get("incidents", use: list)
        group.get("incidents/:id", use: show)
        group.patch("incidents/:id", use: edit)
        group.get("incidents/:id/timeline", use: timeline)
        group.post("incidents/:id/timeline", use: addTimelineEntry)
        group.post("incidents/:id/timeline/:entry/state", use: settleHypothesis)
        group.post("incidents/:id/updates", use: publishUpdate)
        addActionRoutes(to: group)
    }

    func declare(_ request: Request, context: MusterRequestContext) async throws -> EditedResponse<IncidentView> {
        let author = try context.writer().name
        let declaration = try await APICoding.decode(IncidentDeclaration.self, from: request, limit: env.maxBodyBytes)
        try await requireKnownServices(declaration.services ?? [])
        if let commander = declaration.commander { try await RoleHolders(env: env).require(commander, outside: false, field: "commander") }
        let now = env.now()
        let incident = try await env.stores.incidents.declareIncident(declaration, scheme: env.scheme, by: author, at: now)
        var response = EditedResponse(status: .created, response: IncidentView(incident, scheme: env.scheme, now: now))
        response.headers[.location] = "/api/v1/incidents/\(incident.reference)"
        return response
    }

    func edit(_ request: Request, context: MusterRequestContext) async throws -> IncidentView {
        let body = try await APICoding.decode(IncidentEdit.self, from: request, limit: env.maxBodyBytes)
        try await requireKnownServices(body.services ?? [])
        return try await apply(context) { incident, author, at in
            try incident.edit(body, by: author, at: at)
        }
    }

    func list(_ request: Request, context: MusterRequestContext) async throws -> IncidentPageView {
        _ = try context.caller()
        let query = try IncidentQueryParser(scheme: env.scheme).parse(request.uri.queryParameters)
        try await env.requireServiceFilter(query.service)
        let page = try await env.stores.incidents.listIncidents(query)
        let now = env.now()
        return IncidentPageView(
            items: page.items.map { IncidentView($0, scheme: env.scheme, now: now) },
            total: page.total, limit: page.limit, offset: page.offset)
    }

    func show(_ request: Request, context: MusterRequestContext) async throws -> IncidentDetailView {
        _ = try context.caller()
        let incident = try await load(context)
        let timeline = try await env.stores.incidents.timeline(of: incident.id)
        return IncidentDetailView(incident: IncidentView(incident, scheme: env.scheme, now: env.now()), timeline: timeline)
    }

    func timeline(_ request: Request, context: MusterRequestContext) async throws -> ListEnvelope<TimelineEntry> {
        _ = try context.caller()
        let entries = try await env.stores.incidents.timeline(of: try await load(context).id)
        return try ListEnvelope(paging: entries, request, defaultLimit: 1_000, maxLimit: 10_000)
    }

    func addTimelineEntry(_ request: Request, context: MusterRequestContext) async throws -> EditedResponse<IncidentView> {
        let body = try await APICoding.decode(IncidentRequests.Timeline.self, from: request, limit: env.maxBodyBytes)
        let entry = TimelineEntries.Entry(
            kind: body.kind, text: body.text, hypothesis: body.state, result: body.result, mitigation: body.mitigation, target: body.target,
            markMitigated: body.markMitigated == true, runHook: body.runHook == true, at: body.at)
        let (incident, answer) = try await TimelineEntries(env: env).record(entry, on: try key(context), by: try context.writer().name)
        var view = IncidentView(incident, scheme: env.scheme, now: env.now())
        view.hook = answer
        return EditedResponse(status: .created, response: view)
    }

    func settleHypothesis(_ request: Request, context: MusterRequestContext) async throws -> TimelineEntry {
        let author = try context.writer().name
        let body = try await APICoding.decode(IncidentRequests.HypothesisUpdate.self, from: request, limit: env.maxBodyBytes)
        guard let entryID = context.parameters.get("entry").flatMap(UUID.init(uuidString:)) else {
            throw Problem.notFound("No timeline entry '\(context.parameters.get("entry") ?? "")'.")
        }
        return try await env.stores.incidents.settleHypothesis(
            incident: try key(context), entry: entryID, as: body.state, by: author, at: env.now())
    }

    func publishUpdate(_ request: Request, context: MusterRequestContext) async throws -> EditedResponse<UpdateView> {
        let author = try context.writer().name
        let body = try await APICoding.decode(IncidentRequests.Update.self, from: request, limit: env.maxBodyBytes)
        let preview = try APICoding.flag(request.uri.queryParameters, "preview")
        var next = body.nextUpdateAt
        if let text = body.nextUpdateIn {
            guard next == nil else { throw Problem.invalid("nextUpdateIn", "Give 'nextUpdateAt' or 'nextUpdateIn', not both.") }
            guard let seconds = DurationText.parse(text), seconds > 0 else {
                throw Problem.invalid("nextUpdateIn", "'nextUpdateIn' must be \(DurationText.forms); got '\(text.prefix(40))'.")
            }
            next = env.now().addingTimeInterval(Double(seconds))
        }
        let written = try await StatusUpdates(env: env).write(
            try key(context),
            .init(audience: body.audience, phase: body.phase, text: body.text, nextUpdateAt: next, useTemplate: body.template ?? true),
            author: author, preview: preview)
        let view = UpdateView(
            body: written.body, nextUpdateAt: written.nextUpdateAt, preview: preview,
            incident: written.incident.map { IncidentView($0, scheme: env.scheme, now: env.now()) })
        return EditedResponse(status: preview ? .ok : .created, response: view)
    }

    func key(_ context: MusterRequestContext) throws -> String {
        try context.parameters.require("id")
    }

    func load(_ context: MusterRequestContext) async throws -> Incident {
        let key = try key(context)
        guard let incident = try await env.stores.incidents.incident(key) else {
            throw Problem.notFound("No incident '\(key.prefix(120))'.")
        }
        return incident
    }

    private func requireKnownServices(_ services: [String]) async throws {
        for service in services where ServiceSlug.isValid(service) {
            if try await env.stores.services.service(service) == nil {
                throw Problem.invalid("services", "'services' names '\(service)', which is not a known service; create it first.")
            }
        }
    }
}
