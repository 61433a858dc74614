import Foundation
import HTTPTypes
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Subscribing to the status page")
struct SubscriptionPagesTests {
    func form(_ api: APIHarness, _ body: String) async throws -> Reply {
        try await api.send(.post, "/status/subscribe", body: body, headers: [.contentType: "application/x-www-form-urlencoded"])
    }

    @Test(
        "the form subscribes, the signed link confirms with a button, one click unsubscribes; forged links find nothing",
        arguments: PageTestBackends.pages)
    func selfService(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a page with one component
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            _ = try await api.write("/api/v1/status-components", #"{"id":"site","name":"Web site","services":["web"]}"#)
            let page = try await api.send(.get, "/status/subscribe")
            #expect(page.status == .ok && page.text.contains(#"value="site""#))
            // when someone subscribes to the site
            let asked = try await form(api, "email=Alice%40example.com&components=site")
            #expect(asked.status == .ok && asked.text.contains("Check alice@example.com"), "\(asked.text)")
            // then she is pending, and the request to confirm is queued for her
            let subscriber = try #require(try await api.store.subscribers().first)
            #expect(subscriber.confirmedAt == nil && subscriber.components == ["site"] && subscriber.address == "alice@example.com")
            let queued = try await api.store.subscriberDeliveries(subscriber.id, limit: 5)
            #expect(queued.map { $0.notice?.kind } == [.confirmation])
            // when the confirmation link is opened, a button asks; a forged signature finds nothing
            let links = api.env.subscriberLinks
            let confirm = try #require(URL(string: links.url(.confirm, for: subscriber.id)))
            let path = confirm.path + "?" + (confirm.query ?? "")
            let shown = try await api.send(.get, path)
            #expect(shown.status == .ok && shown.text.contains(">Confirm</button>"))
            #expect(try await api.store.subscriber(subscriber.id)?.confirmedAt == nil, "opening the link alone confirms nothing")
            #expect(try await api.send(.post, confirm.path + "?sig=00").status == .notFound)
            let confirmed = try await api.send(.post, path)
            #expect(confirmed.status == .ok && confirmed.text.contains("Subscribed"))
            #expect(try await api.store.subscriber(subscriber.id)?.confirmedAt != nil)
            // when she subscribes again, no second request is sent to a confirmed address
            _ = try await form(api, "email=alice%40example.com")
            #expect(try await api.store.subscriberDeliveries(subscriber.id, limit: 5).count == 1)
            // when her mail client sends the one-click unsubscribe, twice
            let leave = try #require(URL(string: links.url(.unsubscribe, for: subscriber.id)))
            for _ in 0..<2 {
                let left = try await api.send(
                    .post, leave.path + "?" + (leave.query ?? ""), body: "List-Unsubscribe=One-Click",
                    headers: [.contentType: "application/x-www-form-urlencoded"])
                #expect(left.status == .ok && left.text.contains("Unsubscribed"))
            }
            #expect(try await api.store.subscribers().isEmpty)
        }
    }

    @Test(
        "a bad address is named beside its field; asking too often is refused per address and per client", arguments: PageTestBackends.pages
    )
    func refusals(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let bad = try await form(api, "email=not-an-address")
            #expect(bad.status == .badRequest && bad.text.contains(#"id="subscribe-email-error""#))
            let unknown = try await form(api, "email=a%40example.com&components=nowhere")
            #expect(unknown.status == .badRequest && unknown.text.contains("nowhere"))
            let extra = try await form(api, "email=a%40example.com&admin=1")
            #expect(extra.status == .badRequest)
            // three asks for one address pass, the fourth waits
            for _ in 0..<3 { #expect(try await form(api, "email=b%40example.com").status == .ok) }
            #expect(try await form(api, "email=b%40example.com").status == .tooManyRequests)
            // and one client cannot ask for ten addresses more
            var refused = false
            for index in 0..<12 where try await form(api, "email=c\(index)%40example.com").status == .tooManyRequests { refused = true }
            #expect(refused)
        }
    }

    @Test("admins list, export and remove subscribers and add webhooks; others may not", arguments: PageTestBackends.pages)
    func adminAPI(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let hook = #"{"kind":"webhook","address":"https://hooks.example.com/status/s3cret"}"#
            #expect(try await api.write("/api/v1/status-subscribers", hook).status == .forbidden)
            let added = try await api.send(.post, "/api/v1/status-subscribers", token: api.admin, body: hook)
            #expect(added.status == .created && added.object["confirmedAt"] is String, "\(added.text)")
            let mail = try await api.send(
                .post, "/api/v1/status-subscribers", token: api.admin, body: #"{"kind":"email","address":"bob@example.com"}"#)
            #expect(mail.status == .created && mail.object["confirmedAt"] == nil, "mail still confirms by mail")
            let unknown = try await api.send(
                .post, "/api/v1/status-subscribers", token: api.admin, body: #"{"kind":"sms","address":"1"}"#)
            _ = unknown.expectProblem(.badRequest, field: "kind")
            #expect(try await api.send(.get, "/api/v1/status-subscribers", token: api.viewer).status == .forbidden)
            let list = try await api.send(.get, "/api/v1/status-subscribers", token: api.admin)
            #expect(list.array.count == 2)
            let csv = try await api.send(.get, "/api/v1/status-subscribers/export", token: api.admin)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains("bob@example.com"))
            let id = try #require(added.object["id"] as? String)
            let one = try await api.send(.get, "/api/v1/status-subscribers/\(id)", token: api.admin)
            #expect(one.object["deliveries"] as? [Any] != nil)
            #expect(try await api.send(.delete, "/api/v1/status-subscribers/\(id)", token: api.admin).status == .noContent)
            // the audit log kept the webhook's URL masked
            let audit = try await api.send(.get, "/api/v1/audit?kind=status-subscriber", token: api.admin).text
            #expect(!audit.contains("s3cret"))
        }
    }
}
