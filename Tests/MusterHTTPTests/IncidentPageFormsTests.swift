import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The incident page's forms")
struct IncidentPageFormsTests {
    func incident(_ api: APIHarness, _ reference: String) async throws -> [String: Any] {
        try await api.send(.get, "/api/v1/incidents/\(reference)", token: api.viewer).object["incident"] as? [String: Any] ?? [:]
    }

    @Test("a responder runs an incident from its page, and each entry is authored by the person", arguments: PageTestBackends.pages)
    func responderRunsIncident(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident and ann, a responder, signed in
            let reference = try await api.declare()
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she acknowledges
            let ack = try await ann.post("/incidents/\(reference)/acknowledge", [("note", "on it"), ("tz", "0")])
            // then the page sends her back to the incident, which is acknowledged by her
            #expect(
                ack.status == .seeOther && ack.headers[.location] == "/incidents/\(reference)",
                "\(ack.status) \(ack.text.split(separator: "\n").filter { $0.contains("error") })")
            #expect(try await incident(api, reference)["status"] as? String == "acknowledged")
            // when, two hours in, she records a hypothesis an hour back in her own zone (UTC+1), then confirms it
            api.clock.advance(by: 7_200)
            let earlier = api.clock.now.addingTimeInterval(-3_600)
            let local = String(RFC3339.format(earlier.addingTimeInterval(3_600)).prefix(16))
            let added = try await ann.post(
                "/incidents/\(reference)/timeline",
                [("kind", "hypothesis"), ("text", "The deploy broke tokens"), ("at", local), ("tz", "-60")])
            #expect(added.status == .seeOther, "\(added.text)")
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            let hypothesis = try #require(timeline.first { $0["kind"] as? String == "hypothesis" })
            #expect(hypothesis["author"] as? String == "ann")
            #expect(
                hypothesis["at"] as? String
                    == RFC3339.format(Date(timeIntervalSince1970: (earlier.timeIntervalSince1970 / 60).rounded(.down) * 60)))
            let entry = try #require(hypothesis["id"] as? String)
            let confirmed = try await ann.post("/incidents/\(reference)/hypotheses/\(entry)", [("state", "confirmed")])
            #expect(confirmed.status == .seeOther)
            let page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains(#"<span class="state state-confirmed">confirmed</span>"#), "\(page.text)")
            // when she changes the status, the severity with a reason, assigns a role and resolves
            #expect(try await ann.post("/incidents/\(reference)/status", [("status", "identified"), ("note", "")]).status == .seeOther)
            #expect(
                try await ann.post("/incidents/\(reference)/severity", [("severity", "P2"), ("reason", "Only card payments")]).status
                    == .seeOther)
            #expect(try await ann.post("/incidents/\(reference)/roles", [("role", "scribe"), ("assignee", "ann")]).status == .seeOther)
            let held = try await ann.post("/incidents/\(reference)/resolve", [("resolution", "Rolled back"), ("rootCause", "v2.3")])
            #expect(held.status == .conflict && held.text.contains(#"id="resolve-force-error""#), "\(held.status)")
            #expect(held.text.contains("resolution checklist items are open") && held.text.contains(">Rolled back</textarea>"))
            let resolved = try await ann.post(
                "/incidents/\(reference)/resolve", [("resolution", "Rolled back"), ("rootCause", "v2.3"), ("force", "Verified by hand")])
            #expect(resolved.status == .seeOther)
            // then the incident says so, and every entry she wrote carries her name
            let after = try await incident(api, reference)
            #expect(after["status"] as? String == "resolved" && after["severity"] as? String == "P2")
            #expect(after["resolution"] as? String == "Rolled back")
            let authors = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
                .filter { !["declared", "page"].contains($0["kind"] as? String ?? "") }.compactMap { $0["author"] as? String }
            #expect(Set(authors) == ["ann"], "\(authors)")
            // and once resolved the page offers close and reopen, not acknowledge
            let resolvedPage = try await ann.get("/incidents/\(reference)")
            #expect(resolvedPage.text.contains("/close") && resolvedPage.text.contains("/reopen"))
            #expect(!resolvedPage.text.contains("/acknowledge"))
        }
    }

    @Test("a refused form shows the page again with the message beside its field and what was typed", arguments: PageTestBackends.pages)
    func refusedBesideField(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident and a responder
            let reference = try await api.declare()
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she changes the severity without a reason
            let refused = try await ann.post("/incidents/\(reference)/severity", [("severity", "P2"), ("reason", "")])
            // then the page comes back with the core's message beside the reason
            #expect(refused.status == .badRequest || refused.status.code == 422, "\(refused.status)")
            #expect(refused.text.contains(#"id="severity-reason-error""#), "\(refused.text)")
            #expect(try await incident(api, reference)["severity"] as? String == "P1")
            // when a time is not one, it is named beside the time field, the text kept
            let badTime = try await ann.post(
                "/incidents/\(reference)/timeline", [("kind", "note"), ("text", "kept text"), ("at", "yesterday")])
            #expect(badTime.text.contains(#"id="entry-at-error""#) && badTime.text.contains("kept text"))
            // when the form has a field it should not, it is refused
            let unknown = try await ann.post("/incidents/\(reference)/status", [("status", "identified"), ("sneaky", "1")])
            #expect(unknown.text.contains("should not"), "\(unknown.text)")
            #expect(try await incident(api, reference)["status"] as? String == "triggered")
            // when the action is not possible in the incident's state, the page says why
            let close = try await ann.post("/incidents/\(reference)/close", [])
            #expect(close.status == .conflict && close.text.contains("class=\"error\""))
        }
    }

    @Test("forms are refused without the session's CSRF token, to viewers, and to nobody signed in", arguments: PageTestBackends.pages)
    func refusedToWrongCallers(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident, a viewer and a responder
            let reference = try await api.declare()
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when the viewer acknowledges
            let viewer = try await vic.post("/incidents/\(reference)/acknowledge", [])
            // then she is told her role may only read, and the page offers her no forms
            #expect(viewer.status == .forbidden && viewer.text.contains("viewer role"))
            #expect(!(try await vic.get("/incidents/\(reference)")).text.contains("action=\"/incidents/\(reference)/acknowledge\""))
            // when a responder's form comes without the right token
            let forged = try await ann.post("/incidents/\(reference)/acknowledge", [], csrf: "forged")
            #expect(forged.status == .forbidden && forged.text.contains("expired"))
            // when nobody is signed in
            let anonymous = try await api.send(
                .post, "/incidents/\(reference)/acknowledge", body: "csrf=x", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(anonymous.status == .seeOther && anonymous.headers[.location]?.hasPrefix("/signin?next=/incidents/") == true)
            // then nothing changed
            #expect(try await incident(api, reference)["status"] as? String == "triggered")
            // and the live stream is only for people signed in
            #expect(try await api.send(.get, "/live").status == .unauthorized)
        }
    }

    @Test(
        "declaring from the page: the matrix proposes, the person may choose, mistakes stay beside their field",
        arguments: PageTestBackends.pages)
    func declare(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a service and a responder
            _ = try await api.write("/api/v1/services", #"{"id":"checkout","name":"Checkout"}"#)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let form = try await ann.get("/incidents/new")
            #expect(form.status == .ok && form.text.contains(#"data-users="many" data-business="significant""#))
            // when she declares with many users and a significant business impact, no severity chosen
            let declared = try await ann.post(
                "/incidents",
                [
                    ("title", "Card payments fail"), ("services", "checkout"), ("userImpact", "many"), ("businessImpact", "significant"),
                    ("customerFacing", "on"), ("severity", ""), ("commander", "ann"), ("impactStartedAt", ""), ("detectedAt", ""),
                ])
            // then the incident opens at what the matrix proposes, with her as commander
            let location = try #require(declared.headers[.location], "\(declared.text)")
            let reference = String(location.dropFirst("/incidents/".count))
            let incident = try await incident(api, reference)
            #expect(incident["severity"] as? String == "P2" && incident["declaredBy"] as? String == "ann")
            #expect((incident["impact"] as? [String: Any])?["customerFacing"] as? Bool == true)
            #expect((incident["roles"] as? [[String: Any]])?.first?["assignee"] as? String == "ann")
            // when the title is missing and no severity can be proposed
            let refused = try await ann.post("/incidents", [("title", ""), ("userImpact", "many")])
            #expect(refused.text.contains(#"id="declare-title-error""#) || refused.text.contains(#"id="declare-severity-error""#))
            #expect(refused.text.contains(#"value="many" checked"#))
            // and a viewer is not offered the form
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            #expect(!(try await vic.get("/incidents/new")).text.contains(#"id="form-declare""#))
        }
    }

    @Test("the list filters by status, severity and the person, open incidents first, a page at a time", arguments: TestBackend.all)
    func listFilters(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given 55 resolved P3 incidents and then one open P1 that ann commands
            for index in 0..<55 {
                let reference = try await api.declare(#"{"title":"Old \#(index)","severity":"P3"}"#)
                _ = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks"}"#)
                api.clock.advance(by: 1)
            }
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            api.clock.advance(by: 60)
            _ = try await api.declare(#"{"title":"Open one","severity":"P1","commander":"ann"}"#)
            // when the whole list is read, the open incident comes first though it is not the newest... nor the oldest
            let first = try await ann.get("/incidents?sort=detectedAt")
            let titles = first.text.matches(of: /<\/span> ([A-Za-z0-9 ]+)<\/a><\/td>/).map { String($0.1) }
            #expect(titles.first == "Open one" && titles.count == 50, "\(titles.prefix(3))")
            #expect(first.text.contains("1–50 of 56") && first.text.contains("page=2"))
            let second = try await ann.get("/incidents?sort=detectedAt&page=2")
            #expect(second.text.contains("51–56 of 56"))
            // when filtered by status, severity or to her own
            #expect(try await ann.get("/incidents?status=open").text.contains("1–1 of 1"))
            #expect(try await ann.get("/incidents?severity=P3").text.contains("1–50 of 55"))
            #expect(try await ann.get("/incidents?mine=1").text.contains("1–1 of 1"))
            // then a filter naming no such severity says so on the page
            #expect(try await ann.get("/incidents?severity=P9").text.contains("There is no severity"))
        }
    }

    @Test("a long timeline shows its newest 300 entries, with a link to all of them")
    func longTimeline() async throws {
        try await APIHarness.run(TestBackend(kind: .sqlite)) { api in
            // given an incident with 320 notes
            let reference = try await api.declare()
            for index in 0..<320 {
                _ = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"note","text":"Note number \#(index)."}"#)
            }
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she opens the incident, then all of it
            let page = try await ann.get("/incidents/\(reference)")
            let all = try await ann.get("/incidents/\(reference)?entries=all")
            // then the page has the newest 300, says so and links to the rest, which has every entry
            #expect(page.text.contains("Note number 319.") && !page.text.contains("Note number 5."))
            #expect(page.text.contains("The newest 300 of 322 entries") && page.text.contains("?entries=all"))
            #expect(all.text.contains("Note number 5.") && all.text.components(separatedBy: "class=\"entry entry-").count - 1 == 322)
        }
    }

    @Test("the composer previews an update, publishes it, and the clocks on the page and the list move", arguments: TestBackend.all)
    func composer(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1 declared now, and ann signed in
            let reference = try await api.declare()
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            var page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains("Internal update <span class=\"countdown\">due in 15 min</span>"), "\(page.text)")
            // when 20 minutes pass without an update, the page and the list say it is late
            api.clock.advance(by: 1_200)
            page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains("Internal update <span class=\"countdown\">5 min late</span>"))
            #expect(try await ann.get("/incidents").text.contains("5 min late"))
            // when she previews an update
            let fields = [("audience", "internal"), ("phase", "identified"), ("text", "Rolling back."), ("nextUpdateIn", "10m")]
            let preview = try await ann.post("/incidents/\(reference)/update", fields + [("intent", "preview")])
            // then the page shows it as it will read, and nothing is published
            #expect(preview.status == .ok && preview.text.contains("Now: Rolling back."), "\(preview.text)")
            #expect(preview.text.contains("<pre>\(reference) P1 · Identified"))
            // when she publishes it
            let published = try await ann.post("/incidents/\(reference)/update", fields + [("intent", "publish")])
            #expect(published.status == .seeOther, "\(published.text)")
            // then it is on the timeline in her name, and the internal clock is due at the promised time
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            let entry = try #require(timeline.first { $0["kind"] as? String == "update_published" })
            #expect(entry["author"] as? String == "ann")
            #expect(
                try await ann.get("/incidents/\(reference)").text.contains("Internal update <span class=\"countdown\">due in 10 min</span>")
            )
            // and a next update that is not a span is refused beside its field
            let bad = try await ann.post(
                "/incidents/\(reference)/update",
                [("audience", "internal"), ("phase", "identified"), ("nextUpdateIn", "10"), ("intent", "publish")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="update-next-error""#))
        }
    }

    @Test("the chat channel and call bridge are set from the page and shown as links")
    func warRoomForm() async throws {
        try await APIHarness.run(TestBackend(kind: .sqlite)) { api in
            // given an incident and ann signed in
            let reference = try await api.declare()
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she sets both links
            let set = try await ann.post(
                "/incidents/\(reference)/warroom",
                [("channel", "https://chat.example.com/inc-1"), ("bridge", "https://meet.example.com/inc-1")])
            // then the page links to them
            #expect(set.status == .seeOther, "\(set.text)")
            let page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains(#"<a href="https://chat.example.com/inc-1" rel="noopener noreferrer">"#))
            // and a link that is not one is refused beside its field
            let bad = try await ann.post("/incidents/\(reference)/warroom", [("channel", "war room"), ("bridge", "")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="warroom-channel-error""#), "\(bad.text)")
        }
    }
}
