import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// The incident pages: the list, open incidents first, and an incident with its timeline.
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
        router.get("incidents/:id") { request, context -> Response in
            let key = try context.parameters.require("id")
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else {
                return WebPages.redirect(
                    "/signin?next=/incidents/\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            }
            guard let incident = try await env.stores.incidents.incident(key) else {
                return pages.page("incident", ["person": signedIn.view, "title": "No incident '\(key.prefix(80))'"], status: .notFound)
            }
            let entries = try await env.stores.incidents.timeline(of: incident.id).map { entry in
                [
                    "kind": entry.kind.rawValue, "at": RFC3339.format(entry.at), "atText": Self.text(entry.at), "author": entry.author,
                    "text": entry.text,
                ]
            }
            var view = Self.fields(row(incident))
            view["person"] = signedIn.view
            view["summary"] = incident.summary.isEmpty ? nil : incident.summary
            view["roles"] = incident.roles.map { ["role": $0.role.rawValue, "person": $0.assignee] }
            view["entries"] = entries
            return pages.page("incident", view)
        }
        router.get("assets/:file") { request, context -> Response in
            let name = try context.parameters.require("file")
            guard let text = WebResources.assets[name] else { throw Problem.notFound("No asset '\(name.prefix(60))'.") }
            // A digest of the contents, the same on every server and across restarts.
            let tag = "\"" + SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined() + "\""
            var headers: HTTPFields = [.cacheControl: "public, max-age=3600", .eTag: tag, .xContentTypeOptions: "nosniff"]
            headers[.contentType] = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8"
            if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// A time as the pages show it, in UTC until the viewer's own time zone is known.
    static func text(_ date: Date) -> String {
        String(RFC3339.format(date).replacingOccurrences(of: "T", with: " ").prefix(19)) + " UTC"
    }

    /// A row's fields by name, for a template that shows one incident.
    static func fields(_ row: Row) -> [String: Any] {
        [
            "reference": row.reference, "title": row.title, "severity": row.severity, "severityRank": row.severityRank,
            "status": row.status, "detectedAt": row.detectedAt, "detectedText": row.detectedText, "services": row.services,
        ]
    }

    private func row(_ incident: Incident) -> Row {
        let rank = (env.scheme.names.firstIndex(of: incident.severity) ?? env.scheme.names.count) + 1
        return Row(
            reference: incident.reference, title: incident.title, severity: incident.severity, severityRank: rank,
            status: incident.status.rawValue, open: incident.status.isOpen, detectedAt: RFC3339.format(incident.detectedAt),
            detectedText: Self.text(incident.detectedAt),
            services: incident.services.joined(separator: ", "))
    }
}
