import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The status page's admin page")
struct StatusPageAdminPageTests {
    @Test(
        "a responder adds a group and a component, sets its status by hand and announces maintenance; mistakes show beside their field",
        arguments: PageTestBackends.pages)
    func responder(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann, a responder, vic, a viewer, and a service
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            _ = try await api.write("/api/v1/services", #"{"id":"payments","name":"Payments"}"#)
            // when she adds a group and a component in it
            let group = try await ann.post("/statuspage/groups", [("id", "money"), ("name", "Money"), ("position", "1")])
            #expect(group.status == .seeOther && group.headers[.location] == "/statuspage?done=group", "\(group.text)")
            let component = try await ann.post(
                "/statuspage/components", [("id", "checkout"), ("name", "Checkout"), ("services", "payments"), ("groupID", "money")])
            #expect(component.status == .seeOther, "\(component.text)")
            #expect(try await api.store.statusComponent("checkout")?.groupID == "money")
            // and sets it to a partial outage for an hour
            let set = try await ann.post(
                "/statuspage/components/checkout/status", [("status", "partial_outage"), ("reason", "Card payments slow"), ("for", "1h")])
            #expect(set.status == .seeOther, "\(set.text)")
            let page = try await ann.get("/statuspage?done=status")
            #expect(
                page.text.contains("The status was set.") && page.text.contains("Card payments slow")
                    && page.text.contains("Partial outage"))
            #expect(try await api.send(.get, "/api/v2/status.json").text.contains(#""indicator":"major""#))
            // when she announces maintenance with its silence, and moves it on
            let announced = try await ann.post(
                "/statuspage/maintenances",
                [
                    ("title", "Database upgrade"), ("message", "We upgrade."), ("components", "checkout"), ("start", "2099-01-01T22:00"),
                    ("end", "2099-01-01T23:00"), ("silence", "yes"), ("tz", "0"),
                ])
            #expect(announced.status == .seeOther, "\(announced.text)")
            let maintenance = try #require(try await api.store.maintenances(endedSince: api.clock.now).first)
            #expect(maintenance.silenceID != nil && maintenance.startsAt == RFC3339.parse("2099-01-01T22:00:00Z"))
            let moved = try await ann.post(
                "/statuspage/maintenances/\(maintenance.id.uuidString.lowercased())/updates",
                [("message", "Started early."), ("state", "in_progress")])
            #expect(moved.status == .seeOther, "\(moved.text)")
            #expect(try await api.store.maintenance(maintenance.id)?.state == .inProgress)
            // when a form has a mistake, it is named beside its field and what was typed stays
            let bad = try await ann.post("/statuspage/components", [("id", "Not An Id"), ("name", "X"), ("services", "")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="component-id-error""#) && bad.text.contains(#"value="Not An Id""#))
            let backwards = try await ann.post(
                "/statuspage/maintenances",
                [("title", "x"), ("message", "x"), ("components", "checkout"), ("start", "2099-01-02T22:00"), ("end", "2099-01-01T23:00")])
            #expect(backwards.status == .badRequest && backwards.text.contains("later than"), "\(backwards.text)")
            // and the viewer sees it all without a form; subscribers and settings are an admin's
            let viewed = try await vic.get("/statuspage")
            #expect(viewed.text.contains("Checkout") && !viewed.text.contains(#"action="/statuspage/components""#))
            #expect(!page.text.contains("Subscribers (") && !page.text.contains(#"action="/statuspage/settings""#))
            #expect(try await ann.post("/statuspage/settings", [("name", "Acme")]).status == .forbidden)
            #expect(try await ann.get("/statuspage/subscribers.csv").status == .forbidden)
            // when she names an incident for customers from its page
            let reference = try await api.declare(#"{"title":"Card payments fail","severity":"P2","services":["payments"]}"#)
            let named = try await ann.post("/incidents/\(reference)/pagename", [("publicName", "Payments are slow")])
            #expect(named.status == .seeOther, "\(named.text)")
            #expect(try await api.store.incident(reference)?.publicName == "Payments are slow")
            #expect(try await ann.get("/incidents/\(reference)").text.contains(#"value="Payments are slow""#))
            // and the changes are audited under her name
            #expect(try await api.store.auditEvents(AuditQuery(kind: "status-component")).items.first?.actor == "ann")
            // when she clears the status and removes the maintenance
            #expect(try await ann.post("/statuspage/components/checkout/clear", []).status == .seeOther)
            #expect(try await ann.post("/statuspage/maintenances/\(maintenance.id.uuidString.lowercased())/delete", []).status == .seeOther)
            #expect(try await api.store.maintenance(maintenance.id) == nil)
        }
    }

    @Test("an admin brands the page, maps severities, adds and removes a webhook subscriber", arguments: PageTestBackends.pages)
    func admin(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let root = try await PageSession.signIn(api, "root", role: .admin)
            let saved = try await root.post(
                "/statuspage/settings",
                [
                    ("name", "Acme status"), ("accentColor", "#aa3300"), ("timeZone", "Europe/Berlin"),
                    ("links", "Home=https://acme.example/"),
                    ("level-P2", "major_outage"), ("level-P1", "major_outage"),
                ])
            #expect(saved.status == .seeOther, "\(saved.text)")
            let settings = try #require(try await api.store.statusPageSettings())
            #expect(settings.name == "Acme status" && settings.statusBySeverity == ["P2": .majorOutage] && settings.links.count == 1)
            let bad = try await root.post("/statuspage/settings", [("name", "Acme"), ("accentColor", "red")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="settings-accent-error""#), "\(bad.text)")
            let hook = try await root.post("/statuspage/subscribers", [("webhook", "https://hooks.example.com/acme")])
            #expect(hook.status == .seeOther, "\(hook.text)")
            let subscriber = try #require(try await api.store.subscribers().first)
            #expect(subscriber.confirmedAt != nil)
            let page = try await root.get("/statuspage")
            #expect(page.text.contains("Subscribers (1)") && page.text.contains("https://hooks.example.com/acme"))
            let csv = try await root.get("/statuspage/subscribers.csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains("https://hooks.example.com/acme"))
            #expect(try await root.post("/statuspage/subscribers/\(subscriber.id.uuidString.lowercased())/delete", []).status == .seeOther)
            #expect(try await api.store.subscribers().isEmpty)
        }
    }
}
