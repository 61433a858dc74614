import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// The incident pages: the list, the declaration form and an incident; and the pages' own files.
struct IncidentPagesController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("/") { _, _ in WebPages.redirect("/incidents") }
        router.get("incidents") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            return pages.page("incidents", try await IncidentListPage.build(request.uri.queryParameters, for: signedIn, env: env))
        }
        router.get("incidents/new") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            return pages.page("declare", try await DeclarePage.build(for: signedIn, env: env))
        }
        router.post("incidents") { request, _ -> Response in
            try await PageFormRunner(env: env).run(request, form: "declare", fields: DeclarePage.fields, back: "/incidents/new") {
                form, signedIn in
                let declaration = try DeclarePage.declaration(form)
                for service in declaration.services ?? [] where try await env.stores.services.service(service) == nil {
                    throw Problem.invalid("services", "There is no service '\(service.prefix(60))'.")
                }
                if let commander = declaration.commander { try await RoleHolders(env: env).require(commander, outside: false, field: "commander") }
                let incident = try await env.stores.incidents.declareIncident(
                    declaration, scheme: env.scheme, by: signedIn.user.id, at: env.now())
                return .redirect("/incidents/\(incident.reference)")
            } refused: { signedIn, failure in
                let page = try await DeclarePage.build(
                    for: signedIn, env: env, values: failure.values, banner: failure.banner, errors: failure.errors["declare"] ?? [:])
                return pages.page("declare", page, status: failure.status)
            }
        }
        router.get("incidents/:id") { request, context -> Response in
            let key = try context.parameters.require("id")
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            guard let incident = try await env.stores.incidents.incident(key) else {
                return pages.page("missing", ["person": signedIn.view, "what": "No incident '\(key.prefix(80))'"], status: .notFound)
            }
            let parameters = request.uri.queryParameters
            let page = try await IncidentDetailPage.build(
                incident, for: signedIn, env: env, newestFirst: parameters.get("order") != "oldest",
                allEntries: parameters.get("entries") == "all")
            return pages.page("incident", page)
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
}
