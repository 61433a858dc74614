import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// The public status page, without login: the HTML pages, Statuspage's public API v2 JSON
/// (`/api/v2/summary.json` and the rest) and the history feeds, all from the rendered cache.
struct StatuspageController {
    let env: APIEnvironment

    static let jsonPaths = [
        "summary.json", "status.json", "components.json", "incidents.json", "incidents/unresolved.json",
        "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
    ]

    func addRoutes(to router: Router<MusterRequestContext>) {
        for path in ["status", "status/history", "status/theme.css", "history.atom", "history.rss"] + Self.jsonPaths.map({ "api/v2/" + $0 })
        {
            router.get(RouterPath(path)) { request, _ in try await serve("/" + path, request) }
        }
        router.get("status/incidents/:id") { request, context in
            try await serve("/status/incidents/" + (try context.parameters.require("id")), request)
        }
        router.get("status/maintenance/:id") { request, context in
            try await serve("/status/maintenance/" + (try context.parameters.require("id")), request)
        }
    }

    private func serve(_ path: String, _ request: Request) async throws -> Response {
        guard let document = try await env.statusPage.document(at: path, env) else {
            throw Problem.notFound("The status page has nothing at \(path.prefix(120)).")
        }
        var headers: HTTPFields = [
            .contentType: document.contentType, .eTag: document.eTag, .lastModified: document.lastModified,
            // A CDN in front may keep it briefly; each instance renders it once per change anyway.
            .cacheControl: "public, max-age=15", .xContentTypeOptions: "nosniff", .referrerPolicy: "strict-origin-when-cross-origin",
        ]
        if document.contentType.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' https:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        } else if document.contentType == "application/json" {
            // Dashboards on other sites read the JSON in the browser, as they do Statuspage's.
            headers[.accessControlAllowOrigin] = "*"
        }
        if Self.notModified(request, document) { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: document.body))
    }

    /// Whether the client's copy is current: `If-None-Match` decides when given, else `If-Modified-Since`.
    static func notModified(_ request: Request, _ document: StatusPageCache.Document) -> Bool {
        if let tags = request.headers[.ifNoneMatch] {
            return tags.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == document.eTag || $0 == "*" }
        }
        return request.headers[.ifModifiedSince] == document.lastModified
    }
}
