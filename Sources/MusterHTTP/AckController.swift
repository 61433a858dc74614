import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/ack/{page}`: the one-click acknowledge link in every page. GET shows a confirmation button
/// (link previews and mail scanners fetch URLs, so a GET must never acknowledge); POST acknowledges.
struct AckController {
    let env: APIEnvironment

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("ack/:page") { request, context -> Response in
            let (page, incidentID) = try await verifiedPage(request, context)
            let incident = try await env.stores.incidents.incident(incidentID.uuidString)
            let query = request.uri.query ?? ""
            let body =
                incident?.status == .triggered
                ? """
                <p>\(html(page.incidentReference)) (\(html(page.severity))): \(html(page.title))</p>
                <form method="post" action="/ack/\(page.id.uuidString.lowercased())?\(html(query))">
                <button type="submit">Acknowledge as \(html(page.user))</button></form>
                """
                : "<p>\(html(page.incidentReference)) is already \(html(incident?.status.rawValue ?? "gone")); nothing to do.</p>"
            return Self.page(title: "Acknowledge \(page.incidentReference)", body: body)
        }
        router.post("ack/:page") { request, context -> Response in
            let (page, incidentID) = try await verifiedPage(request, context)
            do {
                let incident = try await env.stores.incidents.updateIncident(incidentID.uuidString) { incident in
                    try incident.acknowledge(by: page.user, at: env.now())
                }
                return Self.page(
                    title: "Acknowledged",
                    body: "<p>\(html(incident.reference)) is acknowledged by \(html(page.user)). Paging has stopped.</p>")
            } catch let error as IncidentError {
                return Self.page(title: "Nothing to do", body: "<p>\(html(error.message))</p>", status: .conflict)
            }
        }
    }

    /// The page a valid link names, and its incident.
    private func verifiedPage(_ request: Request, _ context: MusterRequestContext) async throws -> (Page, UUID) {
        let parameters = request.uri.queryParameters
        guard let id = context.parameters.get("page").flatMap(UUID.init(uuidString:)),
            let expires = parameters.get("exp").flatMap({ Int($0) }), let signature = parameters.get("sig"),
            env.ackLinks.verify(page: id, expires: expires, signature: signature, at: env.now()),
            let page = try await env.stores.paging.page(id)
        else {
            throw Problem(
                status: .forbidden, slug: "bad-link", title: "Link not valid",
                detail: "This acknowledge link is not valid or has expired; acknowledge in Muster instead.")
        }
        guard let incidentID = page.incidentID, page.broadcast == nil else {
            throw Problem(
                status: .forbidden, slug: "bad-link", title: "Nothing to acknowledge",
                detail: "This message is not a page about an incident; there is nothing to acknowledge.")
        }
        return (page, incidentID)
    }

    private static func page(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
        let document = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(html(title)) · Muster</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">
            <h1>\(html(title))</h1>\(body)</body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}

/// Escapes text for HTML.
func html(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}
