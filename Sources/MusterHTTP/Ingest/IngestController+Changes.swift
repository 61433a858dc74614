import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// Change events: deploys and configuration changes, from anything that sends PagerDuty change
/// events and from Muster's generic format. A change never opens an incident or pages anyone.
extension IngestController {
    /// PagerDuty's Change Events API, answered in PagerDuty's shapes (202 on success).
    func pagerDutyChange(_ request: Request) async throws -> Response {
        do {
            let (key, parsed) = try ChangePayload.pagerDuty(try JSONObject.parse(try await collect(request)))
            _ = try await record(parsed, key: key, via: "pagerduty")
            return try json(.accepted, ["status": "success", "message": "Change event processed"])
        } catch let error as IngestError {
            return try json(.badRequest, ["status": "invalid event", "message": "Event object is invalid", "errors": [error.message]])
        } catch let problem as Problem {
            let message = problem.status == .notFound ? "Invalid routing key" : problem.title
            var response = try json(
                problem.status,
                ["status": problem.status == .tooManyRequests ? "throttle exceeded" : "invalid event", "message": message, "errors": [problem.detail]])
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    /// Muster's generic change body, with the integration key in the URL or as a bearer token.
    func genericChange(_ request: Request, key: String) async throws -> Response {
        do {
            let parsed = try ChangePayload.generic(try JSONObject.parse(try await collect(request)))
            let change = try await record(parsed, key: key, via: "generic")
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: try APICoding.encoder.encode(change))))
        } catch let error as IngestError {
            throw Problem.invalid(error.field, error.message)
        }
    }

    /// Keeps the change for the service of the integration `key` names (any kind: the key
    /// speaks for its service).
    private func record(_ parsed: ChangePayload.Parsed, key: String, via: String) async throws -> ChangeEvent {
        let integration = try await resolve(key, accepted: Set(IntegrationKind.allCases))
        let now = env.now()
        if let wait = env.rateLimiter.take(1, for: integration.id.uuidString, at: now) {
            let seconds = Int(wait.rounded(.up))
            throw Problem(
                status: .tooManyRequests, slug: "rate-limited", title: "Too many events",
                detail: "This integration is over its limit of \(Int(env.rateLimiter.rate)) events a second; retry in \(seconds)s.",
                retryAfterSeconds: seconds)
        }
        let change: ChangeEvent
        do {
            change = try ChangePayload.change(parsed, service: integration.service, via: via, at: now)
        } catch {
            throw IngestError(field: error.field, error.message)
        }
        return try await env.stores.changes.recordChange(change)
    }
}
