import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The services and people pages")
struct DirectoryPagesTests {
    @Test(
        "a responder adds a service and an integration, whose key is shown once with its set-up, then revokes it",
        arguments: PageTestBackends.pages)
    func services(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann, a responder, signed in, and an escalation policy
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let policy = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"web-oncall","name":"Web on call","levels":[{"targets":[{"type":"user","id":"ann"}],"delayMinutes":10}]}"#)
            #expect(policy.status == .created, "\(policy.text)")
            // when she adds a service and gives it the policy
            #expect(
                try await ann.post("/services", [("id", "web"), ("name", "Web"), ("description", ""), ("runbookURL", "")]).status
                    == .seeOther)
            #expect(try await ann.post("/services/web/policy", [("policy", "web-oncall")]).status == .seeOther)
            #expect(try await api.store.service("web")?.escalationPolicy == "web-oncall")
            // when she adds an Alertmanager integration
            let made = try await ann.post("/services/web/integrations", [("kind", "alertmanager")])
            // then its key is shown once, inside the set-up to paste into alertmanager.yml, and it takes alerts
            #expect(made.status == .created)
            let key = try #require(made.text.firstMatch(of: /id="integration-key" readonly value="([^"]+)"/).map { String($0.1) })
            #expect(made.text.contains("http://muster.test/ingest/alertmanager/\(key)"))
            #expect(!(try await ann.get("/services")).text.contains(key))
            let alert =
                #"{"version":"4","status":"firing","receiver":"muster","groupKey":"{}:{alertname=\"Down\"}","alerts":[{"status":"firing","labels":{"alertname":"Down"},"annotations":{},"startsAt":"2026-11-18T11:00:00Z"}]}"#
            #expect(try await api.send(.post, "/ingest/alertmanager/\(key)", body: alert).status.code < 300)
            // when she revokes it, its key is refused
            let integration = try #require(try await api.store.integrations(service: "web").first)
            #expect(try await ann.post("/integrations/\(integration.id.uuidString)/revoke", []).status == .seeOther)
            let refused = try await api.send(.post, "/ingest/alertmanager/\(key)", body: alert)
            #expect(refused.status.code >= 400, "\(refused.status) \(refused.text)")
            // and a service id that is not one is refused beside its field
            let bad = try await ann.post("/services", [("id", "Not An Id"), ("name", "x")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="service-id-error""#), "\(bad.text)")
        }
    }

    @Test("people are listed with their contact methods, masked for viewers; a failed test says why", arguments: PageTestBackends.pages)
    func people(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann with a Slack webhook, a viewer and a responder
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let added = try await api.write(
                "/api/v1/users/ann/contact-methods", #"{"kind":"slack","address":"https://hooks.slack.example/services/T0/B0/secret"}"#)
            #expect(added.status == .created, "\(added.text)")
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            // when each opens the people page
            let asViewer = try await vic.get("/people")
            let asResponder = try await ann.get("/people")
            // then the viewer sees the webhook masked, with no test button; the responder sees it whole
            #expect(!asViewer.text.contains("secret") && asViewer.text.contains("hooks.slack.example"))
            #expect(!asViewer.text.contains("/test\""))
            #expect(asResponder.text.contains("services/T0/B0/secret"))
            // when the responder tests a method on a server that sends nothing, the page says so
            let method = try #require(asResponder.text.firstMatch(of: /\/people\/ann\/contacts\/([0-9A-F-]+)\/test/).map { String($0.1) })
            let tested = try await ann.post("/people/ann/contacts/\(method)/test", [])
            #expect(tested.status == .serviceUnavailable && tested.text.contains("sends no notifications"))
        }
    }

    @Test(
        "a responder adds a contact method beside a person and removes it; a bad address is refused beside the field",
        arguments: PageTestBackends.pages)
    func contactMethods(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann, a responder, signed in
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let before = try #require(try await api.store.user("ann")).contactMethods.count
            // when she adds a webhook for herself
            let added = try await ann.post("/people/ann/contacts", [("kind", "webhook"), ("address", "https://hooks.example/ann")])
            // then it is stored and listed, not yet verified
            #expect(added.status == .seeOther)
            let methods = try #require(try await api.store.user("ann")).contactMethods
            #expect(methods.count == before + 1 && methods.last?.address == "https://hooks.example/ann")
            let page = try await ann.get("/people?done=added")
            #expect(page.text.contains("The contact method was added") && page.text.contains("https://hooks.example/ann"))
            // when she types an address with a line break, it is refused beside the field, what she typed kept
            let bad = try await ann.post("/people/ann/contacts", [("kind", "email"), ("address", "ann@example.com\r\nBcc: x@example.com")])
            #expect(bad.status == .badRequest, "\(bad.status)")
            #expect(bad.text.contains(#"id="contact-error-ann""#), "\(bad.text)")
            #expect(try #require(try await api.store.user("ann")).contactMethods.count == before + 1)
            // when she removes the webhook, it is gone and the change is audited
            let id = try #require(methods.last).id.uuidString
            #expect(try await ann.post("/people/ann/contacts/\(id)/remove", []).status == .seeOther)
            #expect(try #require(try await api.store.user("ann")).contactMethods.count == before)
            let audit = try await api.send(.get, "/api/v1/audit?kind=user", token: api.admin)
            #expect(audit.text.contains("/people/ann/contacts/\(id)/remove"), "\(audit.text)")
        }
    }

    @Test(
        "a service is edited on its page, grouping and size included; a bad window is named in its form; it is removed once unused",
        arguments: PageTestBackends.pages)
    func editService(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given services web and db, and ann, a responder
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            _ = try await api.write("/api/v1/services", #"{"id":"db","name":"Database"}"#)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            func save(window: String) async throws -> Reply {
                try await ann.post(
                    "/services/web/edit",
                    [
                        ("name", "Web front end"), ("description", "What customers load"), ("runbookURL", "https://wiki.example.com/web"),
                        ("dependsOn", "db"), ("responseSize", "small"), ("groupBy", "alertname, cluster"), ("groupWindow", window),
                        ("autoResolve", "true"),
                    ])
            }
            // when she gives a grouping window that is no span, then a good one
            let refused = try await save(window: "soon")
            let saved = try await save(window: "2h")
            // then the first is named in the service's form with what she typed, the second kept whole
            #expect(refused.status == .badRequest && refused.text.contains(#"id="edit-web-error""#), "\(refused.status)")
            #expect(refused.text.contains(#"value="soon""#) && refused.text.contains(#"value="Web front end""#))
            #expect(saved.status == .seeOther && saved.headers[.location] == "/services?done=edited")
            let web = try #require(try await api.store.service("web"))
            #expect(web.name == "Web front end" && web.description == "What customers load" && web.dependsOn == ["db"])
            #expect(web.responseSize == .small && web.runbookURL == "https://wiki.example.com/web")
            #expect(web.alertPolicy == AlertPolicy(groupBy: ["alertname", "cluster"], groupWindowSeconds: 7_200, autoResolve: true))
            let page = try await ann.get("/services?done=edited")
            #expect(
                page.text.contains("The service was saved.")
                    && page.text.contains("Alerts with the same alertname, cluster share an incident opened within the last 2h"),
                "\(page.text)")
            // when she removes db, which web depends on, and then a service nothing uses
            _ = try await api.write("/api/v1/services", #"{"id":"spare","name":"Spare"}"#)
            let inUse = try await ann.post("/services/db/delete", [])
            let removed = try await ann.post("/services/spare/delete", [])
            // then the first is refused with the reason, the second is gone
            #expect(inUse.status == .conflict && inUse.text.contains(#"id="form-error""#), "\(inUse.status)")
            #expect(removed.status == .seeOther && removed.headers[.location] == "/services?done=removed")
            let spare = try await api.store.service("spare")
            #expect(spare == nil)
        }
    }

    @Test("an integration gets a new key on the services page, shown once; the old key is refused from then on")
    func rotateKey() async throws {
        try await APIHarness.run(.sqlite) { api in
            // given an integration of web and the alert it accepts
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let (integration, old) = try await api.store.createIntegration(service: "web", kind: .generic, name: "probe", at: api.clock.now)
            let alert = #"{"summary":"Web down","severity":"critical","dedupKey":"w1"}"#
            #expect(try await api.send(.post, "/ingest/generic/\(old)", body: alert).status == .accepted)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when ann gives it a new key
            let rotated = try await ann.post("/integrations/\(integration.id.uuidString)/rotate", [])
            // then the page shows the new key once, and only the new key is taken
            #expect(rotated.status == .created && rotated.text.contains("has a new key; the old one no longer works"), "\(rotated.status)")
            let field = try #require(rotated.text.range(of: #"id="integration-key" readonly value=""#))
            let rest = rotated.text[field.upperBound...]
            let key = String(rest[..<rest.firstIndex(of: "\"")!])
            #expect(key != old)
            #expect(try await api.send(.post, "/ingest/generic/\(old)", body: alert).status == .notFound)
            #expect(try await api.send(.post, "/ingest/generic/\(key)", body: alert).status == .accepted)
        }
    }
}
