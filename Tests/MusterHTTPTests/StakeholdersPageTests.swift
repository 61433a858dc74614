import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The stakeholders page")
struct StakeholdersPageTests {
    @Test(
        "a responder adds a group with members one a line, changes it and deletes it; a viewer sees it masked, without forms",
        arguments: PageTestBackends.pages)
    func addChangeDelete(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann, a responder, vic, a viewer, and a service
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            _ = try await api.write("/api/v1/services", #"{"id":"checkout","name":"Checkout"}"#)
            let fields = [
                ("id", "leadership"), ("name", "Leadership"), ("mode", "summary"),
                ("members", "ceo@example.com\r\nslack:https://hooks.slack.example/services/T0/B0/secret"), ("services", "checkout"),
                ("minimumSeverity", "P2"),
            ]
            // when she adds a summary group for checkout's P2s and worse
            let added = try await ann.post("/stakeholders", fields)
            // then it is kept with both members, and the change is audited under her name
            #expect(added.status == .seeOther && added.headers[.location] == "/stakeholders?done=added", "\(added.text)")
            let group = try #require(try await api.store.stakeholderGroup("leadership"))
            #expect(group.members.map(\.kind) == [.email, .slack] && group.services == ["checkout"] && group.minimumSeverity == "P2")
            let audit = try await api.store.auditEvents(AuditQuery(kind: "stakeholder-group")).items
            #expect(audit.first?.actor == "ann")
            // and the page lists it; the viewer sees the Slack URL masked and no form
            let page = try await ann.get("/stakeholders?done=added")
            #expect(page.text.contains("The group was added.") && page.text.contains("checkout, P2 or worse"))
            let viewed = try await vic.get("/stakeholders")
            #expect(viewed.text.contains("https://hooks.slack.example/…") && !viewed.text.contains("secret"))
            #expect(!viewed.text.contains(#"action="/stakeholders""#))
            // when she gives a member line that is no address
            let bad = try await ann.post("/stakeholders", [("id", "support"), ("name", "Support"), ("members", "pager:42")])
            // then it is refused beside the members field, with what she typed kept
            #expect(bad.status == .badRequest && bad.text.contains(#"id="group-members-error""#), "\(bad.text)")
            #expect(bad.text.contains("The line &#39;pager:42&#39;") || bad.text.contains("The line 'pager:42'"), "\(bad.text)")
            #expect(bad.text.contains(#"value="support""#))
            // when she makes it hear every update of every service, keeping the email member only
            let changed = try await ann.post(
                "/stakeholders/leadership",
                [
                    ("name", "Leadership"), ("mode", "updates"), ("members", "email:ceo@example.com"), ("services", ""),
                    ("minimumSeverity", ""),
                ])
            #expect(changed.status == .seeOther, "\(changed.text)")
            let now = try #require(try await api.store.stakeholderGroup("leadership"))
            #expect(now.mode == .updates && now.services.isEmpty && now.minimumSeverity == nil)
            #expect(now.members.first?.id == group.members.first?.id && now.members.count == 1)
            // when she deletes it, it is gone
            #expect(try await ann.post("/stakeholders/leadership/delete", []).status == .seeOther)
            #expect(try await api.store.stakeholderGroup("leadership") == nil)
        }
    }

    @Test("the incident page lists what each group was told and how its delivery went", arguments: PageTestBackends.pages)
    func toldOnIncident(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a group following every service, and a P1 declared after it was made
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            _ = try await api.write(
                "/api/v1/stakeholder-groups",
                #"{"id":"support","name":"Support","members":[{"kind":"email","address":"help@example.com"}]}"#)
            api.clock.advance(by: 1)
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1"}"#)
            // when the announcement is queued
            let told = try await api.store.runBroadcasts(
                scheme: .standard, announceAlertsAt: "P2", changedSince: api.clock.now.addingTimeInterval(-60), at: api.clock.now)
            // then the incident page shows it apart from the pages, pending
            #expect(told == 1)
            let page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains("Stakeholders told") && page.text.contains(#"href="/stakeholders#group-support">support</a>"#))
            #expect(page.text.contains("<td>announcement</td><td>email</td>"), "\(page.text)")
        }
    }
}
