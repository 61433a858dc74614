import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("On-call set-up on the pages: escalation policies, teams, schedules and their feeds")
struct OnCallFormsTests {
    /// Ann, Bob and Cy on schedule primary, and a person whose id is also primary.
    func setUp(_ api: APIHarness) async throws {
        try await OnCallPagesTests().setUp(api)
        _ = try await api.write("/api/v1/users", #"{"id":"primary","name":"Primary","email":"primary@example.com"}"#)
    }

    /// A policy form: its rows in order, then the name and repeats.
    func fields(name: String, rows: [(String, String)], repeats: String = "0", id: String? = nil) -> [(String, String)] {
        (id.map { [("id", $0)] } ?? []) + [("name", name)]
            + rows.enumerated().flatMap { index, row in [("targets-\(index + 1)", row.0), ("delay-\(index + 1)", row.1)] }
            + [("targets-\(rows.count + 1)", ""), ("delay-\(rows.count + 1)", ""), ("repeats", repeats)]
    }

    @Test(
        "a policy is made with bare names, refused beside the row that is unclear, saved as a new version, and removed once unused",
        arguments: PageTestBackends.pages)
    func policy(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the people, the schedule, and ann, a responder, signed in
            try await setUp(api)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            #expect(try await ann.get("/oncall").text.contains(#"href="/policies/new""#))
            let blank = try await ann.get("/policies/new")
            #expect(blank.status == .ok && blank.text.contains(#"id="targets-2""#) && !blank.text.contains(#"id="targets-3""#))
            // when she makes a policy whose first level names primary, a person and a schedule both
            let unclear = try await ann.post(
                "/policies", fields(name: "Checkout", rows: [("primary", "5"), ("bob, cy", "10")], repeats: "1", id: "checkout"))
            // then the page says so beside that row and keeps what she typed
            #expect(unclear.status == .badRequest && unclear.text.contains(#"id="targets-1-error""#), "\(unclear.status)")
            #expect(unclear.text.contains("write user:primary or schedule:primary") && unclear.text.contains(#"value="bob, cy""#))
            // when she says which, and the second row pages two people
            let made = try await ann.post(
                "/policies", fields(name: "Checkout", rows: [("schedule:primary", "5"), ("bob, cy", "10")], repeats: "1", id: "checkout"))
            // then the policy is kept as she meant it
            #expect(made.status == .seeOther && made.headers[.location] == "/policies/checkout?done=saved", "\(made.text)")
            let kept = try #require(try await api.store.escalationPolicy("checkout"))
            #expect(kept.levels.map(\.targets) == [[.schedule("primary")], [.user("bob"), .user("cy")]])
            #expect(kept.levels.map(\.delayMinutes) == [5, 10] && kept.repeats == 1 && kept.version == 1)
            let page = try await ann.get("/policies/checkout?done=saved")
            #expect(page.text.contains("The policy was saved.") && page.text.contains(#"value="schedule:primary""#), "\(page.text)")
            // when an edit names nobody, or waits no time
            let nobody = try await ann.post("/policies/checkout", fields(name: "Checkout", rows: [("zed", "5")]))
            let noWait = try await ann.post("/policies/checkout", fields(name: "Checkout", rows: [("bob", "5"), ("cy", "0")]))
            // then each is refused beside its field, and nothing changed
            #expect(nobody.status == .badRequest && nobody.text.contains("which is no person, schedule or team"))
            #expect(noWait.status == .badRequest && noWait.text.contains(#"id="delay-2-error""#))
            #expect(try await api.store.escalationPolicy("checkout")?.version == 1)
            // when a good edit is saved
            let edited = try await ann.post("/policies/checkout", fields(name: "Checkout, faster", rows: [("schedule:primary", "3")]))
            // then it is the next version, and audited with her name
            #expect(edited.status == .seeOther)
            let second = try #require(try await api.store.escalationPolicy("checkout"))
            #expect(second.version == 2 && second.name == "Checkout, faster" && second.levels.count == 1)
            let audit = try await api.store.auditEvents(AuditQuery(kind: "escalation-policy", actor: "ann")).items
            #expect(Set(audit.map(\.action)) == ["POST /policies", "POST /policies/{id}"], "\(audit.map(\.action))")
            // when it is removed while a service uses it
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            _ = try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"checkout"}"#)
            let inUse = try await ann.post("/policies/checkout/delete", [])
            // then the page says why not; once unused it goes
            #expect(inUse.status == .conflict && inUse.text.contains("web"), "\(inUse.status) \(inUse.text)")
            _ = try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":null}"#)
            let removed = try await ann.post("/policies/checkout/delete", [])
            #expect(removed.status == .seeOther && removed.headers[.location] == "/oncall?done=policy-removed")
            #expect(try await api.store.escalationPolicy("checkout") == nil)
        }
    }

    @Test("a viewer reads a policy and is offered no form; her post is refused")
    func viewer() async throws {
        try await APIHarness.run(.sqlite) { api in
            // given a policy and vic, a viewer
            try await setUp(api)
            _ = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"p","name":"P","levels":[{"targets":[{"type":"user","id":"bob"}],"delayMinutes":5}]}"#)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            // when she opens it and posts to it anyway
            let page = try await vic.get("/policies/p")
            let posted = try await vic.post("/policies/p", fields(name: "Mine", rows: [("cy", "5")]))
            // then
            #expect(page.status == .ok && page.text.contains(#"value="bob""#) && !page.text.contains("Save a new version"))
            let onCall = try await vic.get("/oncall")
            #expect(!onCall.text.contains("/policies/new"))
            let kept = try await api.store.escalationPolicy("p")
            #expect(posted.status == .forbidden && kept?.name == "P")
            #expect(try await vic.get("/policies/nothing").status == .notFound)
        }
    }

    @Test(
        "a team is added, its members edited with a mistake named in its row, and removed once no policy pages it",
        arguments: PageTestBackends.pages)
    func teams(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the people and ann, a responder
            try await setUp(api)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she adds a team without an id, then with one
            let noID = try await ann.post("/teams", [("id", ""), ("name", "Payments"), ("members", "ann, bob")])
            let added = try await ann.post("/teams", [("id", "payments"), ("name", "Payments"), ("members", "ann, bob")])
            // then the first is refused beside the id, the second kept
            #expect(noID.status == .badRequest && noID.text.contains(#"id="team-id-error""#) && noID.text.contains(#"value="Payments""#))
            #expect(added.status == .seeOther && added.headers[.location] == "/oncall?done=team")
            #expect(try await api.store.team("payments")?.members == ["ann", "bob"])
            // when she edits its members with someone unknown, then rightly
            let unknown = try await ann.post("/teams/payments", [("name", "Payments"), ("members", "ann, zed")])
            let edited = try await ann.post("/teams/payments", [("name", "Payments team"), ("members", "cy")])
            // then the mistake is named in the team's row, with what she typed; the edit is kept
            #expect(unknown.status != .seeOther && unknown.text.contains(#"id="team-payments-error""#), "\(unknown.status)")
            #expect(unknown.text.contains(#"value="ann, zed""#))
            let team = try await api.store.team("payments")
            #expect(edited.status == .seeOther && team?.members == ["cy"])
            // when a policy pages the team, removing it is refused; then it goes
            _ = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"p","name":"P","levels":[{"targets":[{"type":"team","id":"payments"}],"delayMinutes":5}]}"#)
            let used = try await ann.post("/teams/payments/delete", [])
            #expect(used.status == .conflict && used.text.contains(#"id="form-error""#), "\(used.status)")
            _ = try await api.send(.delete, "/api/v1/escalation-policies/p", token: api.responder)
            let removed = try await ann.post("/teams/payments/delete", [])
            let gone = try await api.store.team("payments")
            #expect(removed.status == .seeOther && gone == nil)
            #expect(try await ann.get("/oncall?done=team-removed").text.contains("The team was removed."))
        }
    }

    @Test(
        "a schedule is made on the on-call page; a person who does not exist is named beside the field", arguments: PageTestBackends.pages)
    func schedule(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the people and ann, a responder
            try await setUp(api)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            func post(_ users: String) async throws -> Reply {
                try await ann.post(
                    "/schedules",
                    [
                        ("tz", "0"), ("id", "secondary"), ("name", "Secondary"), ("users", users), ("shiftLength", "1"), ("unit", "weeks"),
                        ("start", "2026-11-20T09:00"), ("timeZone", "Europe/Berlin"),
                    ])
            }
            // when she names someone who is not a person, then the right people
            let refused = try await post("ann, zed")
            let made = try await post("bob, cy")
            // then the first is refused beside the people, with what she typed; the second is kept as she meant it
            #expect(
                refused.status == .badRequest && refused.text.contains(#"id="schedule-users-error""#), "\(refused.status) \(refused.text)")
            #expect(refused.text.contains(#"value="ann, zed""#))
            #expect(made.status == .seeOther && made.headers[.location] == "/schedules/secondary?done=created", "\(made.text)")
            let record = try #require(try await api.store.schedule("secondary"))
            let layer = try #require(record.schedule.layers.first)
            #expect(layer.users == ["bob", "cy"] && layer.unit == .weeks && layer.timeZone == "Europe/Berlin")
            #expect(layer.start == Date(timeIntervalSince1970: 1_795_165_200), "\(layer.start)")
            #expect(try await ann.get("/schedules/secondary?done=created").text.contains("The schedule was made."))
        }
    }

    @Test("a schedule is renamed on its page, and removed once no policy pages it", arguments: PageTestBackends.pages)
    func editSchedule(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the rotation, a policy that pages it, and ann, a responder
            try await setUp(api)
            _ = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"p","name":"P","levels":[{"targets":[{"type":"schedule","id":"primary"}],"delayMinutes":5}]}"#)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she gives a time zone that does not exist, then renames it rightly
            let badZone = try await ann.post("/schedules/primary/edit", [("name", "Primary"), ("timeZone", "Mars/Olympus")])
            let renamed = try await ann.post("/schedules/primary/edit", [("name", "Primary on call"), ("timeZone", "Europe/Paris")])
            // then the first is named beside the field, the second kept
            #expect(badZone.status == .badRequest && badZone.text.contains(#"id="details-zone-error""#), "\(badZone.status)")
            #expect(renamed.status == .seeOther && renamed.headers[.location] == "/schedules/primary?done=details")
            let record = try #require(try await api.store.schedule("primary"))
            #expect(record.name == "Primary on call" && record.timeZone == "Europe/Paris")
            // when she removes it while the policy pages it, then after the policy is gone
            let inUse = try await ann.post("/schedules/primary/delete", [])
            _ = try await api.send(.delete, "/api/v1/escalation-policies/p", token: api.responder)
            let removed = try await ann.post("/schedules/primary/delete", [])
            // then the first is refused with the reason on the page, the second goes back to on call
            #expect(inUse.status == .conflict && inUse.text.contains(#"id="form-error""#), "\(inUse.status)")
            #expect(removed.status == .seeOther && removed.headers[.location] == "/oncall?done=schedule-removed")
            let gone = try await api.store.schedule("primary")
            #expect(gone == nil)
        }
    }

    @Test(
        "a calendar feed is made on the schedule page, its address shown once and working, then revoked", arguments: PageTestBackends.pages)
    func calendarFeed(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the rotation and ann, a responder
            try await setUp(api)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            #expect(try await ann.get("/schedules/primary").text.contains("No calendar feed yet"))
            // when she makes the feed's address
            let made = try await ann.post("/schedules/primary/feed", [])
            // then the page shows it once, and a calendar app gets the shifts with it
            #expect(made.status == .created, "\(made.status)")
            let field = try #require(made.text.range(of: #"id="feed-url" readonly value=""#))
            let rest = made.text[field.upperBound...]
            let url = String(rest[..<rest.firstIndex(of: "\"")!]).replacingOccurrences(of: "&amp;", with: "&")
            #expect(url.hasPrefix("http://muster.test/calendars/primary.ics?secret=cal_"), "\(url)")
            let calendar = try await api.send(.get, String(url.dropFirst("http://muster.test".count)))
            #expect(calendar.status == .ok && calendar.text.hasPrefix("BEGIN:VCALENDAR"), "\(calendar.status)")
            let again = try await ann.get("/schedules/primary")
            #expect(again.text.contains("A feed is live") && !again.text.contains(#"id="feed-url""#))
            // when she revokes it
            let revoked = try await ann.post("/schedules/primary/feed/revoke", [])
            // then the address no longer works
            #expect(revoked.status == .seeOther && revoked.headers[.location] == "/schedules/primary?done=feed-revoked")
            #expect(try await api.send(.get, String(url.dropFirst("http://muster.test".count))).status == .unauthorized)
        }
    }
}
