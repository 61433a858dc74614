import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// The incident pages: for now the list, open incidents first.
struct IncidentPagesController {
    let env: APIEnvironment
    let pages: WebPages

    struct Row {
        var reference: String
        var title: String
        var severity: String
        var severityRank: Int
        var status: String
        var open: Bool
        var detectedAt: String
        var detectedText: String
        var services: String
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("/") { _, _ in WebPages.redirect("/incidents") }
        router.get("incidents") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else {
                return WebPages.redirect("/signin?next=/incidents")
            }
            let open = try await env.stores.incidents.listIncidents(
                IncidentQuery(statuses: IncidentStatus.allCases.filter(\.isOpen), limit: IncidentQuery.maxLimit))
            let rest = try await env.stores.incidents.listIncidents(
                IncidentQuery(statuses: [.resolved, .closed], limit: max(1, IncidentQuery.maxLimit - open.items.count)))
            let rows = (open.items + rest.items).map(row)
            return pages.page(
                "incidents",
                [
                    "person": signedIn.view, "incidents": rows, "hasIncidents": !rows.isEmpty, "shown": rows.count,
                    "total": open.total + rest.total,
                ] as [String: Any])
        }
        router.get("assets/:file") { request, context -> Response in
            let name = try context.parameters.require("file")
            guard let text = WebResources.assets[name] else { throw Problem.notFound("No asset '\(name.prefix(60))'.") }
            let tag = "\"\(String(text.hashValue, radix: 16))\""
            var headers: HTTPFields = [.cacheControl: "public, max-age=3600", .eTag: tag, .xContentTypeOptions: "nosniff"]
            headers[.contentType] = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8"
            if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    private func row(_ incident: Incident) -> Row {
        let rank = (env.scheme.names.firstIndex(of: incident.severity) ?? env.scheme.names.count) + 1
        return Row(
            reference: incident.reference, title: incident.title, severity: incident.severity, severityRank: rank,
            status: incident.status.rawValue, open: incident.status.isOpen, detectedAt: RFC3339.format(incident.detectedAt),
            detectedText: RFC3339.format(incident.detectedAt).replacingOccurrences(of: "T", with: " "),
            services: incident.services.joined(separator: ", "))
    }
}
