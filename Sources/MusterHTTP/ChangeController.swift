import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/changes` and an incident's recent changes: what changed before it started, ranked,
/// and which of them responders suspect.
struct ChangeController {
    let env: APIEnvironment

    struct RecordRequest: Decodable {
        var service: String
        var summary: String
        var at: Date?
        var source: String?
        var links: [AlertLink]?
        var details: [String: String]?
    }

    struct SuspectRequest: Decodable {
        var reason: String?
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("changes") { request, context -> EditedResponse<ChangeEvent> in
            _ = try context.writer()
            let body = try await APICoding.decode(RecordRequest.self, from: request, limit: env.maxBodyBytes)
            let now = env.now()
            let change = try ChangeEvent(
                id: UUID(), service: body.service, summary: body.summary, source: body.source, at: body.at ?? now, receivedAt: now,
                links: body.links ?? [], details: body.details ?? [:], via: "api")
            return EditedResponse(status: .created, response: try await env.stores.changes.recordChange(change))
        }
        group.get("changes") { request, context -> ListEnvelope<ChangeEvent> in
            _ = try context.caller()
            let parameters = request.uri.queryParameters
            if let unknown = parameters.map({ String($0.key) }).first(where: { !["service", "since", "from", "to", "limit", "offset"].contains($0) }) {
                throw Problem.invalid(unknown, "'\(unknown.prefix(40))' is not a filter of changes: service, since, from, to, limit, offset.")
            }
            let service = try APICoding.service(parameters)
            try await env.requireServiceFilter(service)
            var query = ChangeQuery(
                services: service.map { [$0] }, limit: try APICoding.limit(request, default: 100, max: 1_000),
                offset: try APICoding.offset(parameters))
            (query.from, query.to) = try APICoding.timeSpan({ parameters.get($0) }, now: env.now())
            if let from = query.from, let to = query.to, from > to { throw Problem.invalid("from", "'from' must not be after 'to'.") }
            let (items, total) = try await env.stores.changes.changes(query)
            return ListEnvelope(items: items, total: total, limit: query.limit, offset: query.offset)
        }
        group.get("changes/:change") { _, context -> ChangeEvent in
            _ = try context.caller()
            return try await change(context)
        }
        group.get("incidents/:id/changes") { _, context -> IncidentChanges in
            _ = try context.caller()
            return try await IncidentChanges.build(try await incident(context), env: env)
        }
        group.post("incidents/:id/changes/:change/suspect") { request, context -> EditedResponse<IncidentChanges> in
            let author = try context.writer().name
            let body = try await APICoding.decodeIfPresent(SuspectRequest.self, from: request, limit: env.maxBodyBytes)
            let incident = try await incident(context)
            let updated = try await Self.suspect(try await change(context), in: incident, reason: body?.reason, by: author, env: env)
            return EditedResponse(status: .created, response: try await IncidentChanges.build(updated, env: env))
        }
    }

    /// Marks `change` as a suspect of `incident` on its timeline, once.
    static func suspect(_ change: ChangeEvent, in incident: Incident, reason: String?, by author: String, env: APIEnvironment)
        async throws -> Incident
    {
        let already = try await env.stores.incidents.timeline(of: incident.id).contains {
            $0.kind == .finding && $0.details["change"] == change.id.uuidString
        }
        if already { throw StoreError.conflict("\(incident.reference) already has '\(change.summary.prefix(80))' as a suspect.") }
        let now = env.now()
        return try await env.stores.incidents.updateIncident(incident.reference) { incident in
            [try incident.suspect(change, reason: reason, by: author, at: now)]
        }
    }

    private func incident(_ context: MusterRequestContext) async throws -> Incident {
        try await Postmortems(env: env).incident(try context.parameters.require("id"))
    }

    private func change(_ context: MusterRequestContext) async throws -> ChangeEvent {
        let text = try context.parameters.require("change")
        guard let id = UUID(uuidString: text), let change = try await env.stores.changes.change(id) else {
            throw Problem.notFound("No change '\(text.prefix(60))'.")
        }
        return change
    }
}

/// The changes made in the window before an incident started, likeliest first, each with why
/// and whether responders marked it as a suspect.
struct IncidentChanges: ResponseEncodable {
    struct Ranked: Encodable {
        var change: ChangeEvent
        var relation: String
        var leadSeconds: Int
        var score: Double
        var reason: String
        var suspected: Bool
    }

    /// The moment changes are measured against, and what it is (`impact` or `detection`).
    var start: Date
    var startsFrom: String
    var windowSeconds: Int
    var items: [Ranked]

    static func build(
        _ incident: Incident, env: APIEnvironment, timeline read: [TimelineEntry]? = nil, services records: [ServiceRecord]? = nil
    ) async throws -> IncidentChanges {
        let ranking = env.changeRanking
        let span = ranking.span(of: incident)
        var known = records ?? []
        if records == nil { known = try await env.serviceRecords(of: incident) }
        let dependencies = Dictionary(known.map { ($0.id, $0.dependsOn) }, uniquingKeysWith: { first, _ in first })
        let services = Array(Set(incident.services + dependencies.values.flatMap { $0 }))
        let (changes, _) = try await env.stores.changes.changes(
            ChangeQuery(services: services, from: span.from, to: span.to, limit: 500))
        var timeline = read ?? []
        if read == nil { timeline = try await env.stores.incidents.timeline(of: incident.id) }
        let suspected = Set(timeline.compactMap { $0.kind == .finding ? $0.details["change"] : nil })
        let (start, label) = ChangeRanking.start(of: incident)
        return IncidentChanges(
            start: start, startsFrom: label, windowSeconds: Int(ranking.window),
            items: ranking.rank(changes, for: incident, dependencies: dependencies).map {
                Ranked(
                    change: $0.change, relation: $0.relation.rawValue, leadSeconds: Int($0.lead), score: ($0.score * 1_000).rounded() / 1_000,
                    reason: $0.reason, suspected: suspected.contains($0.change.id.uuidString))
            })
    }
}

extension ChangeEvent: ResponseEncodable {}
