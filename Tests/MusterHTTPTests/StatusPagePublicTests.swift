import Foundation
import HTTPTypes
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("The public status page")
struct StatusPagePublicTests {
    /// A page with a Payments group holding Checkout (on the payments service), and Search alone.
    func setUp(_ api: APIHarness) async throws {
        _ = try await api.write("/api/v1/services", #"{"id":"payments","name":"Payments"}"#)
        _ = try await api.write("/api/v1/services", #"{"id":"search","name":"Search"}"#)
        #expect(try await api.write("/api/v1/status-groups", #"{"id":"payments","name":"Payments","position":1}"#).status == .created)
        let checkout = try await api.write(
            "/api/v1/status-components", #"{"id":"checkout","name":"Checkout","services":["payments"],"groupID":"payments"}"#)
        #expect(checkout.status == .created, "\(checkout.text)")
        _ = try await api.write("/api/v1/status-components", #"{"id":"search","name":"Search","services":["search"],"position":2}"#)
    }

    func indicator(_ api: APIHarness) async throws -> String? {
        (try await api.send(.get, "/api/v2/summary.json").object["status"] as? [String: Any])?["indicator"] as? String
    }

    func engine(_ api: APIHarness) -> StatusPageEngine {
        StatusPageEngine(
            store: api.store, scheme: .standard, publicURL: "http://muster.test", now: { api.clock.now }, logger: Logger(label: "test"))
    }

    @Test(
        "an incident shows once published, with its updates and components; the banner follows it through outage and recovery",
        arguments: TestBackend.all)
    func outageAndRecovery(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a quiet page and a P1 on payments, not yet published
            try await setUp(api)
            let reference = try await api.declare(#"{"title":"Card payments fail","severity":"P1","services":["payments"]}"#)
            #expect(try await indicator(api) == "none")
            #expect(try await api.send(.get, "/status").text.contains("All Systems Operational"))
            #expect((try await api.send(.get, "/api/v2/incidents/unresolved.json").object["incidents"] as? [Any])?.isEmpty == true)
            // when a responder names it for customers and publishes an external update
            _ = try await api.write(.patch, "/api/v1/incidents/\(reference)", #"{"publicName":"Payments are failing"}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates", #"{"audience":"external","phase":"investigating","text":"Looking into it."}"#)
            // then the page is critical, the incident listed under its public name with the component it takes down
            #expect(try await indicator(api) == "critical")
            let summary = try await api.send(.get, "/api/v2/summary.json").object
            let incidents = try #require(summary["incidents"] as? [[String: Any]])
            #expect(incidents.first?["name"] as? String == "Payments are failing" && incidents.first?["impact"] as? String == "critical")
            let update = try #require((incidents.first?["incident_updates"] as? [[String: Any]])?.first)
            let affected = try #require((update["affected_components"] as? [[String: Any]])?.first)
            #expect(affected["code"] as? String == "checkout" && affected["new_status"] as? String == "major_outage")
            #expect(affected["old_status"] as? String == "operational")
            let components = try #require(summary["components"] as? [[String: Any]])
            #expect(components.map { $0["id"] as? String } == ["payments", "checkout", "search"], "the group comes before its members")
            #expect(components[0]["group"] as? Bool == true && components[0]["components"] as? [String] == ["checkout"])
            #expect(components[0]["status"] as? String == "major_outage" && components[1]["group_id"] as? String == "payments")
            let html = try await api.send(.get, "/status").text
            #expect(html.contains("Major Service Outage") && html.contains("Payments are failing") && html.contains("Looking into it."))
            #expect(html.contains("Major outage: Payments are failing, since"), "the page says why the component is down")
            // when the severity is lowered to P3, the banner follows
            _ = try await api.write("/api/v1/incidents/\(reference)/severity", #"{"severity":"P3","reason":"Only some cards"}"#)
            #expect(try await indicator(api) == "minor")
            // when it is resolved without a word for customers, the resolved update is posted from the template
            let resolved = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back"}"#)
            #expect(resolved.status == .ok, "\(resolved.text)")
            #expect(try await indicator(api) == "none")
            #expect((try await api.send(.get, "/api/v2/incidents/unresolved.json").object["incidents"] as? [Any])?.isEmpty == true)
            let past = try #require((try await api.send(.get, "/api/v2/incidents.json").object["incidents"] as? [[String: Any]])?.first)
            #expect(past["status"] as? String == "resolved" && past["resolved_at"] is String)
            let updates = try #require(past["incident_updates"] as? [[String: Any]])
            #expect(updates.map { $0["status"] as? String } == ["resolved", "investigating"], "newest first")
            let final = try #require((updates[0]["affected_components"] as? [[String: Any]])?.first)
            #expect(final["old_status"] as? String == "degraded_performance" && final["new_status"] as? String == "operational")
            // and its own page lists every update
            let page = try await api.send(.get, "/status/incidents/\(reference)")
            #expect(page.status == .ok && page.text.contains("Resolved") && page.text.contains("Looking into it."))
            #expect(try await api.send(.get, "/status/incidents/INC-1999-0001").status == .notFound)
        }
    }

    @Test("a responder's own words make the resolved update; one already resolved is not posted twice", arguments: PageTestBackends.pages)
    func resolvedUpdate(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let first = try await api.declare(#"{"title":"A","severity":"P2","services":["payments"]}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(first)/updates", #"{"audience":"external","phase":"identified","text":"Found it."}"#)
            _ = try await api.write("/api/v1/incidents/\(first)/resolve", #"{"force":"Not what this test checks","publicUpdate":"Payments work again; sorry."}"#)
            let second = try await api.declare(#"{"title":"B","severity":"P2","services":["search"]}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(second)/updates",
                #"{"audience":"external","phase":"resolved","text":"It is over.","template":false}"#)
            _ = try await api.write("/api/v1/incidents/\(second)/resolve", #"{"force":"Not what this test checks"}"#)
            let incidents = try #require(try await api.send(.get, "/api/v2/incidents.json").object["incidents"] as? [[String: Any]])
            let byID = Dictionary(
                uniqueKeysWithValues: incidents.map { ($0["id"] as? String ?? "", $0["incident_updates"] as? [[String: Any]] ?? []) })
            #expect((byID[first]?.first?["body"] as? String)?.contains("Payments work again; sorry.") == true, "\(byID)")
            #expect(byID[second]?.count == 1, "the responder's resolved update is the only one")
        }
    }

    @Test(
        "documents carry ETag and Last-Modified and answer 304 to a client that has them; feeds list the incidents",
        arguments: PageTestBackends.pages)
    func cachingAndFeeds(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let reference = try await api.declare(#"{"title":"Slow search","severity":"P3","services":["search"]}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates",
                #"{"audience":"external","phase":"investigating","text":"Searching is slow & flaky."}"#)
            for path in ["/status", "/api/v2/summary.json", "/history.atom", "/history.rss", "/status/history"] {
                let first = try await api.send(.get, path)
                let tag = try #require(first.headers[.eTag], "\(path)")
                let modified = try #require(first.headers[.lastModified], "\(path)")
                #expect(first.headers[.cacheControl]?.contains("public") == true)
                let again = try await api.send(.get, path, headers: [.ifNoneMatch: tag])
                #expect(again.status == .notModified && again.body.isEmpty, "\(path): \(again.status)")
                let since = try await api.send(.get, path, headers: [.ifModifiedSince: modified])
                #expect(since.status == .notModified, "\(path)")
            }
            let atom = try await api.send(.get, "/history.atom")
            #expect(atom.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
            #expect(atom.text.contains("<title>Slow search</title>") && atom.text.contains("Searching is slow &amp;amp; flaky."))
            let rss = try await api.send(.get, "/history.rss").text
            #expect(rss.contains("<item>") && rss.contains("/status/incidents/\(reference)</link>"))
            // when anything changes, the tag changes
            let before = try await api.send(.get, "/api/v2/summary.json").headers[.eTag]
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates", #"{"audience":"external","phase":"identified","text":"An index."}"#)
            #expect(try await api.send(.get, "/api/v2/summary.json").headers[.eTag] != before)
        }
    }

    @Test("when the promised update is late the page says so instead of going stale", arguments: PageTestBackends.pages)
    func lateUpdate(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let reference = try await api.declare(#"{"title":"Slow search","severity":"P3","services":["search"]}"#)
            let next = RFC3339.format(api.clock.now.addingTimeInterval(1_800))
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates",
                #"{"audience":"external","phase":"investigating","text":"Looking.","nextUpdateAt":"\#(next)"}"#)
            let onTime = try await api.send(.get, "/status").text
            #expect(onTime.contains("Next update by") && !onTime.contains("is late"))
            // when the promised time passes with no update
            api.clock.advance(by: 1_801)
            let late = try await api.send(.get, "/status").text
            #expect(late.contains("The next update is late"))
            #expect(try await api.send(.get, "/status/incidents/\(reference)").text.contains("The next update is late"))
        }
    }

    @Test(
        "maintenance moves through its states on a manual clock, takes its components under maintenance, and silences their alerts",
        arguments: TestBackend.all)
    func maintenance(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a maintenance on checkout from one to two hours from now, with its silence
            try await setUp(api)
            let start = RFC3339.format(api.clock.now.addingTimeInterval(3_600))
            let end = RFC3339.format(api.clock.now.addingTimeInterval(7_200))
            let created = try await api.write(
                "/api/v1/maintenances",
                #"{"title":"Database upgrade","message":"We upgrade the payments database.","components":["checkout"],"startsAt":"\#(start)","endsAt":"\#(end)","verifySeconds":600,"silence":true}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.object["id"] as? String)
            let silenceID = try #require(created.object["silenceID"] as? String)
            let silences = try await api.send(.get, "/api/v1/silences", token: api.viewer)
            let silence = try #require(silences.array.first { $0["id"] as? String == silenceID })
            #expect((silence["matchers"] as? [[String: Any]])?.first?["name"] as? String == "muster_service")
            #expect((silence["matchers"] as? [[String: Any]])?.first?["value"] as? String == "payments")
            let upcoming = try await api.send(.get, "/api/v2/scheduled-maintenances/upcoming.json").object
            #expect((upcoming["scheduled_maintenances"] as? [[String: Any]])?.first?["status"] as? String == "scheduled")
            #expect(try await api.send(.get, "/status").text.contains("Scheduled maintenance"))
            // when the start comes and the engine runs
            api.clock.advance(by: 3_600)
            try await engine(api).runOnce()
            // then it is in progress and checkout under maintenance; the page stays operational
            let active = try await api.send(.get, "/api/v2/scheduled-maintenances/active.json").object
            let running = try #require((active["scheduled_maintenances"] as? [[String: Any]])?.first)
            #expect(running["status"] as? String == "in_progress" && running["impact"] as? String == "maintenance")
            let components = try await api.send(.get, "/api/v2/components.json").object["components"] as? [[String: Any]]
            #expect(components?.first { $0["id"] as? String == "checkout" }?["status"] as? String == "under_maintenance")
            #expect(try await indicator(api) == "none")
            // when the end passes it verifies, and ten minutes later it completes by itself
            api.clock.advance(by: 3_600)
            try await engine(api).runOnce()
            #expect(try await api.send(.get, "/api/v1/maintenances/\(id)", token: api.viewer).object["state"] as? String == "verifying")
            api.clock.advance(by: 600)
            try await engine(api).runOnce()
            let done = try await api.send(.get, "/api/v1/maintenances/\(id)", token: api.viewer).object
            #expect(done["state"] as? String == "completed")
            #expect(
                (done["updates"] as? [[String: Any]])?.map { $0["state"] as? String } == [
                    "scheduled", "in_progress", "verifying", "completed",
                ])
            let after = try await api.send(.get, "/api/v2/components.json").object["components"] as? [[String: Any]]
            #expect(after?.first { $0["id"] as? String == "checkout" }?["status"] as? String == "operational")
            // and the time under maintenance was recorded for the uptime bars
            let intervals = try await api.store.statusIntervals(since: api.clock.now.addingTimeInterval(-86_400))
            #expect(intervals.map(\.status) == [.underMaintenance] && intervals.first?.endedAt != nil)
        }
    }

    @Test(
        "a maintenance ended early by hand gives its alerts back at once; mistakes are refused naming their field",
        arguments: PageTestBackends.pages)
    func maintenanceByHand(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let start = RFC3339.format(api.clock.now.addingTimeInterval(60))
            let end = RFC3339.format(api.clock.now.addingTimeInterval(7_200))
            let body =
                #"{"title":"Reindex","message":"Search reindex.","components":["search"],"startsAt":"\#(start)","endsAt":"\#(end)","silence":true}"#
            let id = try #require(try await api.write("/api/v1/maintenances", body).object["id"] as? String)
            let moved = try await api.write("/api/v1/maintenances/\(id)/updates", #"{"state":"in_progress"}"#)
            #expect(moved.status == .created && moved.object["state"] as? String == "in_progress", "\(moved.text)")
            let back = try await api.write("/api/v1/maintenances/\(id)/updates", #"{"state":"scheduled"}"#)
            _ = back.expectProblem(.badRequest, field: "state")
            let ended = try await api.write("/api/v1/maintenances/\(id)/updates", #"{"state":"completed","message":"Done early."}"#)
            #expect(ended.object["state"] as? String == "completed")
            let silenceID = try #require(ended.object["silenceID"] as? String)
            let silences = try await api.send(.get, "/api/v1/silences", token: api.viewer).array
            #expect(silences.contains { $0["id"] as? String == silenceID } == false, "the silence ended with the work")
            // mistakes
            let unknown = try await api.write("/api/v1/maintenances", body.replacingOccurrences(of: "search", with: "nowhere"))
            _ = unknown.expectProblem(.badRequest, field: "components")
            let backwards = body.replacingOccurrences(of: start, with: end).replacingOccurrences(
                of: #""endsAt":"\#(end)""#, with: #""endsAt":"\#(start)""#)
            _ = try await api.write("/api/v1/maintenances", backwards).expectProblem(.badRequest, field: "endsAt")
            _ = try await api.write("/api/v1/maintenances", #"{"title":"x"}"#).expectProblem(.badRequest, field: "message")
            #expect(try await api.send(.delete, "/api/v1/maintenances/\(id)", token: api.viewer).status == .forbidden)
            #expect(try await api.write(.delete, "/api/v1/maintenances/\(id)").status == .noContent)
        }
    }

    @Test(
        "settings brand the page; only an admin changes them; a group with components cannot be deleted", arguments: PageTestBackends.pages)
    func settingsAndGroups(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            let settings =
                ##"{"name":"Acme status","accentColor":"#aa3300","timeZone":"Europe/Berlin","links":[{"label":"Acme","url":"https://acme.example/"}],"statusBySeverity":{"P1":"partial_outage"}}"##
            #expect(try await api.write(.put, "/api/v1/status-page/settings", settings).status == .forbidden)
            let saved = try await api.send(.put, "/api/v1/status-page/settings", token: api.admin, body: settings)
            #expect(saved.status == .ok, "\(saved.text)")
            let bad = try await api.send(.put, "/api/v1/status-page/settings", token: api.admin, body: #"{"name":"A","accentColor":"red"}"#)
            _ = bad.expectProblem(.badRequest, field: "accentColor")
            let level = try await api.send(
                .put, "/api/v1/status-page/settings", token: api.admin, body: #"{"name":"A","statusBySeverity":{"P9":"major_outage"}}"#)
            _ = level.expectProblem(.badRequest, field: "statusBySeverity.P9")
            let page = try await api.send(.get, "/api/v2/status.json").object["page"] as? [String: Any]
            #expect(page?["name"] as? String == "Acme status" && page?["time_zone"] as? String == "Europe/Berlin")
            #expect(try await api.send(.get, "/status/theme.css").text.contains("#aa3300"))
            let html = try await api.send(.get, "/status").text
            #expect(html.contains("https://acme.example/") && html.contains("<title>Acme status</title>"))
            // the severity map is the page's: a P1 is now a partial outage
            let reference = try await api.declare(#"{"title":"Down","severity":"P1","services":["payments"]}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates", #"{"audience":"external","phase":"investigating","text":"Looking."}"#)
            #expect(try await indicator(api) == "major")
            _ = try await api.write(.delete, "/api/v1/status-groups/payments").expectProblem(.conflict)
            let group = try await api.write("/api/v1/status-components", #"{"id":"x","name":"X","services":[],"groupID":"nowhere"}"#)
            _ = group.expectProblem(.badRequest, field: "groupID")
        }
    }

    @Test(
        "the status history is recorded as intervals as incidents come and go, and the uptime bar shows how long",
        arguments: TestBackend.all)
    func uptimeFromHistory(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await setUp(api)
            try await engine(api).runOnce()
            let reference = try await api.declare(#"{"title":"Down","severity":"P1","services":["payments"]}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates", #"{"audience":"external","phase":"investigating","text":"Looking."}"#)
            // when two servers record the change at once, it is recorded once
            async let one: Void = engine(api).runOnce()
            async let two: Void = engine(api).runOnce()
            _ = try await (one, two)
            api.clock.advance(by: 1_800)
            _ = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Fixed"}"#)
            try await engine(api).runOnce()
            let intervals = try await api.store.statusIntervals(since: api.clock.now.addingTimeInterval(-86_400))
            #expect(intervals.count == 1 && intervals.first?.status == .majorOutage, "\(intervals)")
            let length = try #require(intervals.first?.endedAt).timeIntervalSince(try #require(intervals.first?.startedAt))
            #expect(abs(length - 1_800) < 2, "\(length)")
            let html = try await api.send(.get, "/status").text
            #expect(html.contains("major outage 30 min") || html.contains("major outage 29 min"), "the day's bar says how long")
        }
    }
}
