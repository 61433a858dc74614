import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Who may open each page and send each form")
struct PageAccessTests {
    /// Routes that are not pages behind a sign-in: the API, ingestion, health, metrics, and the
    /// pages' own sign-in, assets and the one-click acknowledge page.
    static func isPage(_ method: String, _ path: String) -> Bool {
        let open = [
            "/", "/signin", "/signout", "/assets/{file}", "/healthz", "/readyz", "/version", "/metrics", "/openapi.yaml", "/openapi.json",
        ]
        // The public status page and its feeds need no sign-in.
        let prefixes = ["/api/", "/ingest/", "/v2/", "/generic/", "/ack/", "/calendars/", "/status", "/history."]
        return !open.contains(path) && !prefixes.contains(where: path.hasPrefix) && (method == "GET" || method == "POST")
    }

    @Test("every page sends a visitor to sign in; every form refuses a missing CSRF token, and a viewer where it writes")
    func everyRoute() async throws {
        try await APIHarness.run(TestBackend(kind: .sqlite)) { api in
            // given an object of each kind the pages name, a viewer and a responder
            let reference = try await api.declare()
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let integration = try await api.store.createIntegration(service: "web", kind: .generic, name: "x", at: api.clock.now).0
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            _ = try await api.write(
                "/api/v1/schedules",
                #"{"id":"primary","name":"Primary","layers":[{"name":"d","users":["ann"],"shiftLength":1,"unit":"days","start":"2026-11-16T09:00:00Z","timeZone":"UTC"}]}"#
            )
            let ids = [
                "id": reference, "entry": UUID().uuidString, "action": "acknowledge", "override": UUID().uuidString,
                "method": UUID().uuidString,
            ]
            let router = MusterRouter.build(api.env)
            let routes = router.routes.map { ($0.method.rawValue, OpenAPIAgreementTests.normalise($0.path.description)) }
                .filter { Self.isPage($0.0, $0.1) }
            #expect(routes.count > 25, "\(routes.count) page routes")
            func concrete(_ path: String) -> String {
                var path = path
                // Each placeholder gets an object of its kind where the route is about one.
                if path.hasPrefix("/schedules/") { path = path.replacingOccurrences(of: "/schedules/{id}", with: "/schedules/primary") }
                if path.hasPrefix("/services/") { path = path.replacingOccurrences(of: "/services/{id}", with: "/services/web") }
                if path.hasPrefix("/integrations/") { path = path.replacingOccurrences(of: "{id}", with: integration.id.uuidString) }
                if path.hasPrefix("/people/") || path.hasPrefix("/admin/users/") {
                    path = path.replacingOccurrences(of: "{id}", with: "ann")
                }
                if path.hasPrefix("/silences/") || path.hasPrefix("/admin/tokens/") {
                    path = path.replacingOccurrences(of: "{id}", with: UUID().uuidString)
                }
                for (name, value) in ids { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
                return path
            }
            for (method, template) in routes {
                let path = concrete(template)
                // when nobody is signed in
                let visitor = try await api.send(
                    method == "GET" ? .get : .post, path, body: method == "POST" ? "csrf=x" : nil,
                    headers: [.contentType: "application/x-www-form-urlencoded"])
                // then a page or a form sends the browser to sign in (the live stream says 401)
                if template == "/live" {
                    #expect(visitor.status == .unauthorized)
                } else {
                    #expect(
                        visitor.status == .seeOther && visitor.headers[.location]?.hasPrefix("/signin?next=") == true, "\(method) \(path)")
                }
                guard method == "POST" else { continue }
                // when a signed-in responder's form comes without the session's token
                let forged = try await ann.post(path, [], csrf: "forged")
                #expect(forged.status == .forbidden && forged.text.contains("expired"), "\(method) \(path): \(forged.status)")
                // when a viewer sends the form with her token
                let viewer = try await vic.post(path, [])
                // then it is refused, but for her own account, which anyone signed in may change
                if path.hasPrefix("/account") {
                    #expect(viewer.status == .badRequest, "\(method) \(path) as a viewer: \(viewer.status)")
                } else {
                    #expect(viewer.status == .forbidden, "\(method) \(path) as a viewer: \(viewer.status)")
                }
            }
            // and nothing any of them sent changed the incident
            #expect(try await api.send(.get, "/api/v1/incidents/\(reference)", token: api.viewer).text.contains(#""status":"triggered""#))
        }
    }
}
