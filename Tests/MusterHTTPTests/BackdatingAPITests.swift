import Foundation
import MusterCore
import MusterTestSupport
import Testing

@Suite("Times as they happened, editing, atomic actions")
struct BackdatingAPITests {
    func iso(_ date: Date) -> String { RFC3339.format(date) }

    func incident(_ api: APIHarness, _ id: String) async throws -> [String: Any] {
        try #require(try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).object["incident"] as? [String: Any])
    }

    func timeline(_ api: APIHarness, _ id: String) async throws -> [[String: Any]] {
        try await api.send(.get, "/api/v1/incidents/\(id)/timeline", token: api.viewer).array
    }

    @Test("a scribe catching up records when things happened; targets and order use those times", arguments: TestBackend.all)
    func backdatedActions(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident declared now, detected 20 minutes ago, its impact 30 minutes ago
            let now = api.clock.now
            let id = try await api.declare(
                """
                {"title":"Checkout failing","severity":"P1","detectedAt":"\(iso(now - 1_200))","impactStartedAt":"\(iso(now - 1_800))"}
                """)
            // when the scribe records an acknowledgement 10 minutes ago, a finding before it, and identification
            try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"at":"\#(iso(now - 600))"}"#)
            try await api.write(
                "/api/v1/incidents/\(id)/timeline", #"{"kind":"finding","text":"Deploy at 14:02","at":"\#(iso(now - 1_000))"}"#)
            try await api.write("/api/v1/incidents/\(id)/status", #"{"status":"identified","at":"\#(iso(now - 300))"}"#)

            // then the lifecycle times are the ones given and the acknowledgement target counts from them
            let record = try await incident(api, id)
            #expect(record["detectedAt"] as? String == iso(now - 1_200))
            #expect(record["acknowledgedAt"] as? String == iso(now - 600))
            let targets = try #require(record["targets"] as? [String: Any])
            let acknowledge = try #require(targets["acknowledge"] as? [String: Any])
            #expect(acknowledge["state"] as? String == "breached")
            // and the timeline reads in the order things happened, each entry saying when it was written
            let entries = try await timeline(api, id)
            let backdated = entries.filter { $0["recordedAt"] as? String != $0["at"] as? String }
            #expect(backdated.map { $0["kind"] as? String } == ["finding", "status_change", "status_change"])
            #expect(backdated.allSatisfy { $0["recordedAt"] as? String == iso(now) })
            let times = entries.compactMap { $0["at"] as? String }
            #expect(times == times.sorted())
            #expect(entries.first?["kind"] as? String == "finding")
        }
    }

    @Test("times in the future, before the impact start, or out of order are refused and change nothing", arguments: TestBackend.all)
    func refusedTimes(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let now = api.clock.now
            let id = try await api.declare(#"{"title":"x","severity":"P2","impactStartedAt":"\#(iso(now - 600))"}"#)
            // when
            let future = try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"at":"\#(iso(now + 3_600))"}"#)
                .expectProblem(.badRequest, field: "at")
            let early = try await api.write("/api/v1/incidents/\(id)/timeline", #"{"kind":"note","text":"n","at":"\#(iso(now - 700))"}"#)
                .expectProblem(.badRequest, field: "at")
            try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"at":"\#(iso(now - 60))"}"#)
            try await api.write("/api/v1/incidents/\(id)/resolve", #"{"at":"\#(iso(now - 300))"}"#).expectProblem(.badRequest, field: "at")
            try await api.write("/api/v1/incidents", #"{"title":"y","severity":"P2","detectedAt":"\#(iso(now + 3_600))"}"#)
                .expectProblem(.badRequest, field: "detectedAt")
            // then
            #expect(future.contains("in the future"))
            #expect(early.contains("before the incident"))
            let record = try await incident(api, id)
            #expect(record["status"] as? String == "acknowledged")
            #expect(record["resolvedAt"] == nil)
        }
    }

    @Test("title, summary, services and times can be edited, each change on the timeline", arguments: TestBackend.all)
    func editing(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            _ = try await api.write("/api/v1/services", #"{"id":"db","name":"Database"}"#)
            let id = try await api.declare(#"{"title":"Checkout slow","severity":"P2","services":["web"]}"#)
            // when
            let reply = try await api.write(.patch, "/api/v1/incidents/\(id)", #"{"title":"Checkout down","services":["db","web"]}"#)
            // then
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.object["title"] as? String == "Checkout down")
            let edits = try await timeline(api, id).filter { ($0["details"] as? [String: String])?["edited"] != nil }
            #expect(edits.compactMap { ($0["details"] as? [String: String])?["edited"] } == ["title", "services"])
            let byService = try await api.send(.get, "/api/v1/incidents?service=db", token: api.viewer).object
            #expect(byService["total"] as? Int == 1)
            // and an edit that changes nothing, names an unknown service or has no fields is refused
            try await api.write(.patch, "/api/v1/incidents/\(id)", #"{"title":"Checkout down"}"#).expectProblem(.badRequest)
            try await api.write(.patch, "/api/v1/incidents/\(id)", #"{"services":["nope"]}"#).expectProblem(.badRequest, field: "services")
            try await api.write(.patch, "/api/v1/incidents/\(id)", "{}").expectProblem(.badRequest)
            try await api.send(.patch, "/api/v1/incidents/\(id)", token: api.viewer, body: #"{"title":"z"}"#).expectProblem(.forbidden)
        }
    }

    @Test("acknowledging with a timeout or escalating an incident without an escalation writes nothing", arguments: TestBackend.all)
    func atomicActions(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident with no escalation policy behind it
            let id = try await api.declare()
            let before = try await timeline(api, id).count
            // when
            try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"timeoutMinutes":10}"#).expectProblem(
                .badRequest, field: "escalation")
            try await api.write("/api/v1/incidents/\(id)/escalate").expectProblem(.badRequest, field: "escalation")
            // then the incident is untouched
            #expect(try await incident(api, id)["status"] as? String == "triggered")
            #expect(try await timeline(api, id).count == before)
        }
    }
}
