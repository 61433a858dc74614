import Foundation
import MusterCore
import MusterTestSupport
import Testing

@Suite("People and schedules API")
struct OnCallAPITests {
    /// Ann, Bob and Cy; a daily rotation in Berlin starting 2026-11-16 09:00 local.
    func setUp(_ api: APIHarness) async throws {
        for (id, name) in [("ann", "Ann"), ("bob", "Bob"), ("cy", "Cy")] {
            let reply = try await api.write(
                "/api/v1/users", #"{"id":"\#(id)","name":"\#(name)","email":"\#(id)@example.com","timeZone":"Europe/Berlin"}"#)
            #expect(reply.status == .created, "\(reply.text)")
        }
        let schedule = try await api.write(
            "/api/v1/schedules",
            #"""
            {"id":"primary","name":"Primary","timeZone":"Europe/Berlin",
             "layers":[{"name":"daily","users":["ann","bob","cy"],"shiftLength":1,"unit":"days","start":"2026-11-16T09:00:00+01:00","timeZone":"Europe/Berlin"}]}
            """#)
        #expect(schedule.status == .created, "\(schedule.text)")
    }

    @Test("users, contact methods and teams", arguments: TestBackend.all)
    func people(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let contact = try await api.write(
                "/api/v1/users/ann/contact-methods", #"{"kind":"slack","address":"https://hooks.example/T1/B2"}"#)
            #expect(contact.status == .created)
            #expect((contact.object["contactMethods"] as? [Any])?.count == 2)
            try await api.write("/api/v1/users/ann/contact-methods", #"{"kind":"email","address":"not-an-address"}"#).expectProblem(
                .badRequest, field: "address")
            try await api.write("/api/v1/users", #"{"id":"ann","name":"Again","email":"a@example.com"}"#).expectProblem(.conflict)
            try await api.write("/api/v1/users", #"{"id":"dee","name":"Dee","email":"d@example.com","timeZone":"Moon/Base"}"#)
                .expectProblem(.badRequest, field: "timeZone")
            #expect(
                try await api.write("/api/v1/teams", #"{"id":"payments","name":"Payments","members":["ann","bob"]}"#).status == .created)
            try await api.write("/api/v1/teams", #"{"id":"ghosts","name":"Ghosts","members":["nobody"]}"#).expectProblem(
                .badRequest, field: "members")
            #expect(try await api.send(.get, "/api/v1/teams/payments", token: api.viewer).object["members"] as? [String] == ["ann", "bob"])
            #expect(try await api.send(.get, "/api/v1/users", token: api.viewer).array.count == 3)
            // This harness has no delivery channels: testing a contact method says so.
            let methods = try #require(contact.object["contactMethods"] as? [[String: Any]])
            let slack = try #require(methods.last?["id"] as? String)
            try await api.write("/api/v1/users/ann/contact-methods/\(slack)/test").expectProblem(.serviceUnavailable)
            try await api.write("/api/v1/users/ann/contact-methods/\(UUID().uuidString)/test").expectProblem(.notFound)
        }
    }

    @Test("who is on call, shifts, overrides and the next handoff", arguments: TestBackend.all)
    func onCall(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            // The harness clock stands at 2026-11-18T11:06:40Z, i.e. 12:06 in Berlin: day 3 → cy.
            let now = try await api.send(.get, "/api/v1/schedules/primary/oncall", token: api.viewer).object
            #expect(now["user"] as? String == "cy")
            #expect((now["next"] as? [String: Any])?["user"] as? String == "ann")
            #expect((now["next"] as? [String: Any])?["start"] as? String == "2026-11-19T08:00:00Z")
            let earlier = try await api.send(.get, "/api/v1/schedules/primary/oncall?at=2026-11-16T07:59:00Z", token: api.viewer).object
            #expect(earlier["user"] == nil || earlier["user"] is NSNull)
            let override = try await api.write(
                "/api/v1/schedules/primary/overrides", #"{"user":"bob","start":"2026-11-18T11:00:00Z","end":"2026-11-18T13:00:00Z"}"#)
            #expect(override.status == .created)
            #expect(try await api.send(.get, "/api/v1/schedules/primary/oncall", token: api.viewer).object["user"] as? String == "bob")
            let shifts =
                try await api.send(
                    .get, "/api/v1/schedules/primary/shifts?from=2026-11-18T00:00:00Z&to=2026-11-19T12:00:00Z", token: api.viewer
                ).object["shifts"] as? [[String: Any]]
            #expect(shifts?.compactMap { $0["user"] as? String } == ["bob", "cy", "bob", "cy", "ann"])
            let all = try await api.send(.get, "/api/v1/oncall", token: api.viewer).array
            #expect(all.first?["user"] as? String == "bob")
            try await api.send(
                .get, "/api/v1/schedules/primary/shifts?from=2026-11-18T00:00:00Z&to=2028-01-01T00:00:00Z", token: api.viewer
            ).expectProblem(.badRequest, field: "to")
            try await api.send(.get, "/api/v1/schedules/nope/oncall", token: api.viewer).expectProblem(.notFound)
        }
    }

    @Test("the handoff report lists the last shift, who takes over, and the incidents", arguments: TestBackend.all)
    func handoff(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            // An incident during bob's shift (17th 08:00Z – 18th 08:00Z) that is resolved, and one still open.
            let during = try await api.declare(#"{"title":"Old one","severity":"P3"}"#)
            _ = try await api.write("/api/v1/incidents/\(during)/resolve", #"{"force":"Not what this test checks"}"#)
            let report = try await api.send(.get, "/api/v1/schedules/primary/handoff?at=2026-11-18T08:00:00Z", token: api.viewer).object
            #expect(report["incoming"] as? String == "cy")
            #expect((report["previousShift"] as? [String: Any])?["user"] as? String == "bob")
            #expect((report["duringShift"] as? [Any])?.isEmpty == true)
            let later = try await api.send(.get, "/api/v1/schedules/primary/handoff?at=2026-11-19T08:00:00Z", token: api.viewer).object
            #expect(later["incoming"] as? String == "ann")
            #expect((later["duringShift"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == [during])
            #expect((later["openIncidents"] as? [Any])?.isEmpty == true)
            #expect(later["services"] as? [String] == [])
            // No engine runs in this harness: nothing is listed until the notifier's store call runs.
            #expect(try await api.send(.get, "/api/v1/schedules/primary/handoffs", token: api.viewer).array.isEmpty)
            let queued = try await api.store.queueHandoffSummaries(at: try #require(RFC3339.parse("2026-11-19T08:00:30Z")), lookback: 3_600)
            #expect(queued.map(\.incoming) == ["ann"])
            let sent = try await api.send(.get, "/api/v1/schedules/primary/handoffs", token: api.viewer).array
            #expect(sent.compactMap { $0["incoming"] as? String } == ["ann"])
            #expect(sent.first?["outgoing"] as? String == "cy")
            #expect(sent.first?["at"] as? String == "2026-11-19T08:00:00Z")
            try await api.send(.get, "/api/v1/schedules/primary/handoffs?limit=0", token: api.viewer).expectProblem(
                .badRequest, field: "limit")
            try await api.send(.get, "/api/v1/schedules/nope/handoff", token: api.viewer).expectProblem(.notFound)
            try await api.send(.get, "/api/v1/schedules/nope/handoffs", token: api.viewer).expectProblem(.notFound)
        }
    }

    @Test("a preview shows the shifts as they are and as they would be, without saving", arguments: TestBackend.all)
    func preview(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let reply = try await api.write(
                "/api/v1/schedules/primary/preview?from=2026-11-19T08:00:00Z&to=2026-11-21T08:00:00Z",
                #"""
                {"layers":[{"name":"weekly","users":["bob","ann"],"shiftLength":1,"unit":"weeks","start":"2026-11-16T09:00:00+01:00","timeZone":"Europe/Berlin"}]}
                """#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect((reply.object["current"] as? [[String: Any]])?.compactMap { $0["user"] as? String } == ["ann", "bob"])
            #expect((reply.object["proposed"] as? [[String: Any]])?.compactMap { $0["user"] as? String } == ["bob"])
            #expect(try await api.send(.get, "/api/v1/schedules/primary/oncall", token: api.viewer).object["user"] as? String == "cy")
            try await api.write(
                "/api/v1/schedules/primary/preview",
                #"{"layers":[{"users":[],"shiftLength":1,"unit":"days","start":"2026-11-16T09:00:00Z"}]}"#
            ).expectProblem(.badRequest)
            try await api.write(
                .put, "/api/v1/schedules/primary/layers",
                #"{"layers":[{"users":["zed"],"shiftLength":1,"unit":"days","start":"2026-11-16T09:00:00Z"}]}"#
            ).expectProblem(.badRequest, field: "layers.users")
            let saved = try await api.write(
                .put, "/api/v1/schedules/primary/layers",
                #"{"layers":[{"users":["bob"],"shiftLength":1,"unit":"weeks","start":"2026-11-16T09:00:00Z"}]}"#)
            #expect(saved.status == .ok)
            #expect(try await api.send(.get, "/api/v1/schedules/primary/oncall", token: api.viewer).object["user"] as? String == "bob")
        }
    }

    @Test(
        "the iCalendar feed opens with its schedule's own feed secret, which rotates and revokes; API tokens do not open it",
        arguments: TestBackend.all)
    func calendar(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a schedule with a feed secret made by a responder
            try await setUp(api)
            try await api.send(.post, "/api/v1/schedules/primary/feed", token: api.viewer).expectProblem(.forbidden)
            let created = try await api.write("/api/v1/schedules/primary/feed")
            #expect(created.status == .created)
            let secret = try #require(created.object["secret"] as? String)
            #expect(created.object["url"] as? String == "http://muster.test/calendars/primary.ics?secret=\(secret)")
            #expect((created.object["feed"] as? [String: Any])?["createdBy"] as? String == "alice")
            // when a calendar app asks with it, then it gets the shifts
            let feed = try await api.send(.get, "/calendars/primary.ics?secret=\(secret)")
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(feed.text.contains("DTSTART:20261118T080000Z\r\nDTEND:20261119T080000Z\r\nSUMMARY:On call: cy (Primary)"))
            // and nothing else opens it: no secret, an API token, or another schedule's name
            try await api.send(.get, "/calendars/primary.ics").expectProblem(.unauthorized)
            try await api.send(.get, "/calendars/primary.ics?token=\(api.admin)").expectProblem(.unauthorized)
            try await api.send(.get, "/calendars/primary.ics?secret=\(api.admin)").expectProblem(.unauthorized)
            try await api.send(.get, "/calendars/nosuch.ics?secret=\(secret)").expectProblem(.unauthorized)
            // when the secret is rotated, then the old one stops working and the new one works
            let rotated = try #require(try await api.write("/api/v1/schedules/primary/feed").object["secret"] as? String)
            try await api.send(.get, "/calendars/primary.ics?secret=\(secret)").expectProblem(.unauthorized)
            #expect(try await api.send(.get, "/calendars/primary.ics?secret=\(rotated)").status == .ok)
            let shown = try await api.send(.get, "/api/v1/schedules/primary/feed", token: api.viewer)
            #expect(shown.object["prefix"] as? String == String(rotated.prefix(10)) && !shown.text.contains(rotated))
            // when it is revoked, then nothing opens the feed
            #expect(try await api.write(.delete, "/api/v1/schedules/primary/feed").status == .ok)
            try await api.send(.get, "/calendars/primary.ics?secret=\(rotated)").expectProblem(.unauthorized)
            try await api.send(.get, "/api/v1/schedules/primary/feed", token: api.viewer).expectProblem(.notFound)
            try await api.write(.delete, "/api/v1/schedules/primary/feed").expectProblem(.notFound)
        }
    }
}
