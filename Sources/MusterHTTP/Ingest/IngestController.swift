import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The endpoints monitoring systems send alerts to, each authenticated by an integration key.
struct IngestController {
    let env: APIEnvironment

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.post("v2/enqueue") { request, context in try await counted("pagerduty") { try await pagerDuty(request, context) } }
        router.post("generic/2010-04-15/create_event.json") { request, context in
            try await counted("pagerduty") { try await pagerDuty(request, context) }
        }
        router.post("v2/change/enqueue") { request, _ in try await pagerDutyChange(request) }
        router.post("ingest/changes") { request, _ in try await genericChange(request, key: try bearerKey(request)) }
        router.post("ingest/changes/:key") { request, context in
            try await genericChange(request, key: try context.parameters.require("key"))
        }
        for kind in ["alertmanager", "grafana", "generic"] {
            router.post("ingest/\(kind)") { request, context in
                try await counted(kind) { try await envelope(request, context, kind: kind, key: try bearerKey(request)) }
            }
            router.post("ingest/\(kind)/:key") { request, context in
                try await counted(kind) { try await envelope(request, context, kind: kind, key: try context.parameters.require("key")) }
            }
        }
    }

    /// Runs an alert endpoint, counting a refused request by why it was refused; accepted alerts
    /// are counted where they are stored.
    private func counted(_ kind: String, _ endpoint: () async throws -> Response) async throws -> Response {
        do {
            let response = try await endpoint()
            if response.status.code >= 400 { env.metrics.alertRequestRefused(kind: kind, reason: Self.reason(response.status)) }
            return response
        } catch {
            env.metrics.alertRequestRefused(kind: kind, reason: Self.reason((error as? Problem)?.status ?? .internalServerError))
            throw error
        }
    }

    /// A refusal's reason, as the metric labels it.
    static func reason(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401, 404: "unknown_key"
        case 413: "too_large"
        case 429, 503: "throttled"
        case 400..<500: "invalid"
        default: "failed"
        }
    }

    /// PagerDuty Events API v2 (and v1) compatible endpoint; answers in PagerDuty's shapes.
    func pagerDuty(_ request: Request, _ context: MusterRequestContext) async throws -> Response {
        do {
            let body = try JSONObject.parse(try await collect(request))
            let parsed = try PagerDutyEvent.parse(body)
            let integration = try await resolve(parsed.key, accepted: [.pagerduty])
            let outcome = try await ingest([parsed.event], integration, request, context).first!
            if parsed.legacy {
                return try json(.ok, ["status": "success", "message": "Event processed", "incident_key": outcome.dedupKey])
            }
            return try json(.accepted, ["status": "success", "message": "Event processed", "dedup_key": outcome.dedupKey])
        } catch let error as IngestError {
            return try json(.badRequest, ["status": "invalid event", "message": "Event object is invalid", "errors": [error.message]])
        } catch let problem as Problem {
            let throttled = problem.status == .tooManyRequests
            let message = problem.status == .notFound ? "Invalid routing key" : problem.title
            var response = try json(
                problem.status,
                [
                    "status": throttled ? "throttle exceeded" : "invalid event", "message": message, "errors": [problem.detail],
                ])
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    /// Alertmanager, Grafana and generic bodies: every alert in the batch is committed before the answer.
    func envelope(_ request: Request, _ context: MusterRequestContext, kind: String, key: String) async throws -> Response {
        let accepted: Set<IntegrationKind> = kind == "generic" ? [.generic] : [.alertmanager, .grafana]
        let integration = try await resolve(key, accepted: accepted)
        let events: [AlertEvent]
        var leftOut: LeftOutAlerts?
        do {
            let body = try JSONObject.parse(try await collect(request))
            if kind == "generic" {
                events = try GenericAlertPayload.parse(body)
            } else {
                events = try AlertmanagerPayload.parse(body, source: integration.kind.rawValue)
                leftOut = AlertmanagerPayload.leftOut(body)
            }
            if let left = leftOut, left.count > 0 {
                // Its max_alerts cut the group: the incident shows fewer alerts than are firing.
                context.logger.notice(
                    "Alertmanager left \(left.count) alerts out of a notification (max_alerts)",
                    metadata: [
                        "service": "\(integration.service)", "integration": "\(integration.name)", "alerts": "\(events.count)",
                        "group": "\(left.group)",
                    ])
            }
        } catch let error as IngestError {
            throw Problem.invalid(error.field, error.message)
        }
        let outcomes: [IngestOutcome]
        do {
            outcomes = try await ingest(events, integration, request, context, leftOut: leftOut)
        } catch let error as IngestError {
            throw Problem.invalid(error.field, error.message)
        } catch var problem as Problem where problem.status == .tooManyRequests {
            // Alertmanager retries a 5xx but drops a notification refused with any 4xx, 429
            // included (Grafana's contact points likewise): an alert must wait, not vanish.
            if kind != "generic" { problem.status = .serviceUnavailable }
            throw problem
        }
        return Response(
            status: kind == "generic" ? .accepted : .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: IngestAnswer.json(outcomes))))
    }

    /// The live integration for a key, of an accepted kind; the same answer for unknown and revoked keys.
    func resolve(_ key: String, accepted: Set<IntegrationKind>) async throws -> Integration {
        guard let integration = try await env.integrationKeys.integration(forKey: key) else {
            throw Problem.notFound("No live integration has this key.")
        }
        guard accepted.contains(integration.kind) else {
            let names = accepted.map(\.rawValue).sorted().joined(separator: " or ")
            throw Problem.invalid(
                "kind", "This key belongs to a \(integration.kind.rawValue) integration; this endpoint takes \(names) integrations.")
        }
        return integration
    }

    private func ingest(
        _ events: [AlertEvent], _ integration: Integration, _ request: Request, _ context: MusterRequestContext,
        leftOut: LeftOutAlerts? = nil
    ) async throws -> [IngestOutcome] {
        let now = env.now()
        if let wait = env.rateLimiter.take(events.count, for: integration.id.uuidString, at: now) {
            let seconds = Int(wait.rounded(.up))
            if let held = env.throttleNotices.take(integration.id.uuidString, at: now) {
                // Throttling answered on purpose (a 503 for Alertmanager): a notice, not an error.
                context.logger.notice(
                    "request throttled",
                    metadata: [
                        "path": "\(request.uri.loggedPath)", "service": "\(integration.service)", "integration": "\(integration.name)",
                        "limit": "\(Int(env.rateLimiter.rate))/s", "unlogged": "\(held)",
                    ])
            }
            throw Problem(
                status: .tooManyRequests, slug: "rate-limited", title: "Too many events",
                detail: "This integration is over its limit of \(Int(env.rateLimiter.rate)) events a second; retry in \(seconds)s.",
                retryAfterSeconds: seconds)
        }
        do {
            let outcomes = try await env.ingestor.submit(IngestRequest(events: events, integration: integration, leftOut: leftOut))
            env.metrics.alertsAccepted(kind: integration.kind.rawValue, count: events.count)
            return outcomes
        } catch let error as IncidentError {
            throw IngestError(field: error.field, error.message)
        }
    }

    func collect(_ request: Request) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: env.maxIngestBodyBytes)
        } catch {
            throw Problem(
                status: .contentTooLarge, slug: "too-large", title: "Request body too large",
                detail: "The request body is larger than the limit of \(env.maxIngestBodyBytes) bytes.")
        }
    }

    func bearerKey(_ request: Request) throws -> String {
        guard let key = request.bearerCredential else {
            throw Problem.unauthorized("Send the integration key in the URL (/ingest/KIND/KEY) or as 'Authorization: Bearer KEY'.")
        }
        return key
    }

    func json(_ status: HTTPResponse.Status, _ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
