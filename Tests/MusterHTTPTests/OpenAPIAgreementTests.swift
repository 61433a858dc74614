import Foundation
import Hummingbird
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing
import Yams

@Suite("OpenAPI document")
struct OpenAPIAgreementTests {
    @Test("every route is documented and every documented operation is routed")
    func routesMatchDocument() async throws {
        try await APIHarness.run(TestBackend(kind: .sqlite)) { api in
            // given
            let router = MusterRouter.build(APIEnvironment(stores: Stores(api.store)))
            // The web pages are HTML for people; the API document describes the API.
            let pages: Set<String> = [
                "GET /", "GET /assets/{file}", "GET /incidents", "GET /incidents/new", "POST /incidents", "GET /incidents/{id}",
                "POST /incidents/{id}/{action}", "POST /incidents/{id}/hypotheses/{entry}", "GET /live", "GET /signin", "POST /signin",
                "POST /signout", "GET /admin", "POST /admin/users", "POST /admin/users/{id}/role", "POST /admin/users/{id}/password",
                "POST /admin/users/{id}/deactivate", "POST /admin/users/{id}/reactivate", "POST /admin/tokens",
                "POST /admin/tokens/{id}/revoke", "GET /oncall", "GET /schedules/{id}", "POST /schedules/{id}/overrides",
                "POST /schedules/{id}/overrides/{override}/remove", "POST /schedules/{id}/layers", "GET /alerts", "POST /silences",
                "POST /silences/{id}/extend",
                "POST /silences/{id}/expire", "GET /services", "POST /services", "POST /services/{id}/policy",
                "POST /services/{id}/integrations", "POST /integrations/{id}/revoke", "GET /people",
                "POST /people/{id}/contacts/{method}/test", "POST /people/{id}/contacts", "POST /people/{id}/contacts/{method}/remove",
                "GET /stakeholders", "POST /stakeholders", "POST /stakeholders/{id}",
                "POST /stakeholders/{id}/delete", "GET /status", "GET /status/history", "GET /status/theme.css",
                "GET /status/incidents/{id}", "GET /status/maintenance/{id}", "GET /history.atom", "GET /history.rss",
                "GET /status/subscribe", "POST /status/subscribe",
                "GET /status/subscriptions/{id}/confirm", "POST /status/subscriptions/{id}/confirm",
                "GET /status/subscriptions/{id}/unsubscribe", "POST /status/subscriptions/{id}/unsubscribe", "GET /statuspage",
                "GET /statuspage/subscribers.csv", "GET /incidents/{id}/postmortem", "GET /changes", "POST /changes", "GET /runbooks", "POST /runbooks", "POST /runbooks/{id}/remove",
                "POST /incidents/{id}/changes/{change}/suspect", "POST /incidents/{id}/postmortem",
                "POST /incidents/{id}/postmortem/sections/{section}", "POST /incidents/{id}/postmortem/submit",
                "POST /incidents/{id}/postmortem/publish", "POST /incidents/{id}/postmortem/starred/{entry}", "GET /incidents/{id}/postmortem/export", "GET /insights", "GET /actions", "POST /actions",
                "POST /actions/{id}",
                "POST /statuspage/components", "POST /statuspage/components/{id}/status", "POST /statuspage/components/{id}/clear",
                "POST /statuspage/components/{id}/delete", "POST /statuspage/groups", "POST /statuspage/groups/{id}/delete",
                "POST /statuspage/maintenances", "POST /statuspage/maintenances/{id}/updates", "POST /statuspage/maintenances/{id}/delete",
                "POST /statuspage/subscribers", "POST /statuspage/subscribers/{id}/delete", "POST /statuspage/settings",
                "GET /policies/new", "GET /policies/{id}", "POST /policies", "POST /policies/{id}", "POST /policies/{id}/delete",
                "POST /teams", "POST /teams/{id}", "POST /teams/{id}/delete", "POST /schedules", "POST /services/{id}/edit",
                "POST /services/{id}/delete", "GET /account", "POST /account", "POST /account/password",
                "POST /schedules/{id}/edit", "POST /schedules/{id}/delete", "POST /admin/users/{id}/details",
                "POST /schedules/{id}/feed", "POST /schedules/{id}/feed/revoke", "POST /integrations/{id}/rotate",
            ]
            let routed = Set(router.routes.map { "\($0.method.rawValue) \(Self.normalise($0.path.description))" }).subtracting(pages)
            let served = try await api.send(.get, "/openapi.yaml").text
            let document = try #require(try Yams.load(yaml: served) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            // when
            let methods = ["get", "put", "post", "delete", "patch"]
            let documented = Set(
                paths.flatMap { path, operations in
                    operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
                })
            // then
            #expect(routed.subtracting(documented).sorted() == [], "routed but not documented")
            #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
            #expect(routed.count > 20)
        }
    }

    /// `/api/v1/incidents/:id` → `/api/v1/incidents/{id}`.
    static func normalise(_ path: String) -> String {
        let withSlash = path.hasPrefix("/") ? path : "/" + path
        return withSlash.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}
