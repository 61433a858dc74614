import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/silences` and `/api/v1/alerts`: maintenance windows, and what monitoring has sent.
struct SilenceController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        /// Structured matchers, or strings such as `alertname=~"Disk.*"`.
        var matchers: [MatcherInput]
        var startsAt: Date?
        var endsAt: Date?
        /// Alternative to `endsAt`, e.g. `2h`.
        var duration: String?
        var comment: String
        var expireWhenResolved: Bool?
    }

    /// One page of alerts with the count of all that match.
    private func page(_ query: AlertQuery) async throws -> ListEnvelope<Alert> {
        ListEnvelope(
            items: try await env.stores.alerts.alerts(query), total: try await env.stores.alerts.countAlerts(query),
            limit: query.limit, offset: query.offset)
    }

    /// A new end for a silence: a time, or a duration counted from now.
    struct RescheduleRequest: Decodable {
        var endsAt: Date?
        var duration: String?
    }

    private func silenceID(_ context: MusterRequestContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("No silence '\(text.prefix(60))'.") }
        return id
    }

    enum MatcherInput: Decodable {
        case structured(LabelMatcher)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
                return
            }
            self = .structured(try container.decode(LabelMatcher.self))
        }

        func matcher() throws(IncidentError) -> LabelMatcher {
            switch self {
            case .structured(let matcher): matcher
            case .text(let text): try LabelMatcher.parse(text)
            }
        }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("silences") { request, context -> EditedResponse<SilenceAnswer> in
            let author = try context.writer().name
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let now = env.now()
            let start = body.startsAt ?? now
            let end: Date
            if let endsAt = body.endsAt {
                end = endsAt
            } else if let text = body.duration {
                guard let seconds = DurationText.parse(text), seconds > 0 else {
                    throw Problem.invalid("duration", "'duration' must be \(DurationText.forms); got '\(text.prefix(40))'.")
                }
                end = start.addingTimeInterval(Double(seconds))
            } else {
                throw Problem.invalid("endsAt", "Give 'endsAt' or 'duration'.")
            }
            let matchers = try body.matchers.map { input throws(IncidentError) in try input.matcher() }
            let silence = try Silence(
                id: UUID(), matchers: matchers, startsAt: start, endsAt: end, createdBy: author, comment: body.comment,
                expireWhenResolved: body.expireWhenResolved ?? false, createdAt: now)
            let dryRun = try APICoding.flag(request.uri.queryParameters, "dryRun")
            let preview = try await SilencePreview.of(matchers, in: env.stores.alerts)
            guard !dryRun else {
                return EditedResponse(status: .ok, response: SilenceAnswer(silence: silence, preview: preview, dryRun: true))
            }
            let created = try await env.stores.alerts.createSilence(silence)
            return EditedResponse(status: .created, response: SilenceAnswer(silence: created, preview: preview, dryRun: false))
        }
        group.get("silences") { request, _ -> ListEnvelope<Silence> in
            let expired = try APICoding.flag(request.uri.queryParameters, "expired")
            return try ListEnvelope(paging: try await env.stores.alerts.silences(includeExpired: expired, at: env.now()), request)
        }
        group.delete("silences/:id") { _, context -> Silence in
            try await env.stores.alerts.expireSilence(try silenceID(context), at: env.now())
        }
        group.patch("silences/:id") { request, context -> Silence in
            let body = try await APICoding.decode(RescheduleRequest.self, from: request, limit: env.maxBodyBytes)
            let now = env.now()
            let end: Date
            switch (body.endsAt, body.duration) {
            case (let endsAt?, nil):
                end = endsAt
            case (nil, let text?):
                guard let seconds = DurationText.parse(text), seconds > 0 else {
                    throw Problem.invalid("duration", "'duration' must be \(DurationText.forms); got '\(text.prefix(40))'.")
                }
                end = now.addingTimeInterval(Double(seconds))
            default:
                throw Problem.invalid("endsAt", "Give either 'endsAt' or 'duration' (from now), not both and not neither.")
            }
            return try await env.stores.alerts.rescheduleSilence(try silenceID(context), endsAt: end, at: now)
        }
        group.get("alerts") { request, _ -> ListEnvelope<Alert> in
            let parameters = request.uri.queryParameters
            var query = AlertQuery()
            if let status = parameters.get("status") {
                guard let parsed = AlertStatus(rawValue: status) else {
                    throw Problem.invalid("status", "'status' must be firing or resolved.")
                }
                query.status = parsed
            }
            query.service = try APICoding.service(parameters)
            try await env.requireServiceFilter(query.service)
            query.limit = try APICoding.limit(request, default: query.limit, max: 1_000)
            query.offset = try APICoding.offset(request.uri.queryParameters)
            return try await page(query)
        }
        group.get("incidents/:id/alerts") { request, context -> ListEnvelope<Alert> in
            let key = try context.parameters.require("id")
            let limit = try APICoding.limit(request, default: 1_000, max: 1_000)
            let offset = try APICoding.offset(request.uri.queryParameters)
            guard let incident = try await env.stores.incidents.incident(key) else {
                throw Problem.notFound("No incident '\(key.prefix(120))'.")
            }
            return try await page(AlertQuery(incidentID: incident.id, limit: limit, offset: offset))
        }
    }
}

extension Silence: ResponseEncodable {}
extension Alert: ResponseEncodable {}
