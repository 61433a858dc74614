import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Change events over HTTP")
struct ChangeAPITests {
    @Test(
        "changes arrive in PagerDuty's and Muster's formats and from the API; never an incident; refusals name the field",
        arguments: TestBackend.all)
    func arrivals(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given service web with a PagerDuty integration
            let key = try await api.integration("pagerduty")
            // when a PagerDuty change event arrives
            let pagerDuty = try await api.send(
                .post, "/v2/change/enqueue",
                body: #"""
                    {"routing_key":"\#(key)","payload":{"summary":"Deploy v2.34","timestamp":"\#(RFC3339.format(api.clock.now - 600))","source":"ci","custom_details":{"build":8812,"by":"ann"}},"links":[{"href":"https://ci.example.com/runs/8812","text":"Run"}]}
                    """#)
            // then it is answered as PagerDuty would, and kept with its facts
            #expect(pagerDuty.status == .accepted && pagerDuty.object["status"] as? String == "success", "\(pagerDuty.text)")
            #expect(pagerDuty.object["message"] as? String == "Change event processed")
            let kept = try await api.send(.get, "/api/v1/changes?service=web", token: api.viewer)
            let first = try #require(kept.array.first)
            #expect(first["summary"] as? String == "Deploy v2.34" && first["via"] as? String == "pagerduty")
            #expect((first["details"] as? [String: String]) == ["build": "8812", "by": "ann"])
            #expect((first["links"] as? [[String: Any]])?.first?["href"] as? String == "https://ci.example.com/runs/8812")
            // when the generic format and the API record more
            let generic = try await api.send(.post, "/ingest/changes/\(key)", body: #"{"summary":"Flag checkout_v2 on","source":"flags"}"#)
            #expect(generic.status == .accepted && generic.object["via"] as? String == "generic", "\(generic.text)")
            let recorded = try await api.write("/api/v1/changes", #"{"service":"web","summary":"Config: pool 200","details":{"was":"100"}}"#)
            #expect(recorded.status == .created && recorded.object["via"] as? String == "api", "\(recorded.text)")
            // then all three are listed newest first, and no incident was opened
            let all = try await api.send(.get, "/api/v1/changes", token: api.viewer)
            #expect(all.object["total"] as? Int == 3)
            #expect(try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["total"] as? Int == 0)
            // and mistakes are refused, naming the field, in each format's own shape
            let unknownKey = try await api.send(.post, "/v2/change/enqueue", body: #"{"routing_key":"nope","payload":{"summary":"x"}}"#)
            #expect(unknownKey.status == .notFound && unknownKey.object["message"] as? String == "Invalid routing key")
            let typo = try await api.send(.post, "/v2/change/enqueue", body: #"{"routing_key":"\#(key)","payload":{"sumary":"x"}}"#)
            #expect(typo.status == .badRequest && typo.text.contains("Did you mean 'payload.summary'?"), "\(typo.text)")
            _ = try await api.send(.post, "/ingest/changes/\(key)", body: #"{"summary":"x","when":"now"}"#).expectProblem(.badRequest, field: "when")
            _ = try await api.write("/api/v1/changes", #"{"service":"nowhere","summary":"x"}"#).expectProblem(.badRequest, field: "service")
            _ = try await api.write("/api/v1/changes", #"{"service":"web","summary":"x","at":"\#(RFC3339.format(api.clock.now + 86_400))"}"#)
                .expectProblem(.badRequest, field: "timestamp")
            _ = try await api.send(.post, "/api/v1/changes", token: api.viewer, body: #"{"service":"web","summary":"x"}"#)
                .expectProblem(.forbidden)
            _ = try await api.send(.get, "/api/v1/changes?servce=web", token: api.viewer).expectProblem(.badRequest, field: "servce")
        }
    }

    @Test("an incident's changes are ranked with their reason; one marked as a suspect lands on the timeline, once", arguments: TestBackend.all)
    func ranking(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given web depending on db, a deploy to web and a change to db before an incident of web
            _ = try await api.write("/api/v1/services", #"{"id":"db","name":"Database"}"#)
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web","dependsOn":["db"]}"#)
            let start = api.clock.now - 600
            func record(_ service: String, _ summary: String, before minutes: Double) async throws -> String {
                let reply = try await api.write(
                    "/api/v1/changes", #"{"service":"\#(service)","summary":"\#(summary)","at":"\#(RFC3339.format(start - minutes * 60))"}"#)
                return try #require(reply.object["id"] as? String)
            }
            let deploy = try await record("web", "Deploy v2.34", before: 8)
            _ = try await record("db", "Raise max_connections", before: 30)
            _ = try await record("web", "Deploy v2.20", before: 600)
            let reference = try await api.declare(
                #"{"title":"Checkout errors","severity":"P1","services":["web"],"impactStartedAt":"\#(RFC3339.format(start))"}"#)
            // when the incident's changes are asked for
            let ranked = try await api.send(.get, "/api/v1/incidents/\(reference)/changes", token: api.viewer)
            // then the deploy leads with its reason, the dependency follows, the old deploy is outside the window
            let items = try #require(ranked.object["items"] as? [[String: Any]])
            #expect(items.map { $0["reason"] as? String } == ["same service, 8 min before impact", "web depends on db, 30 min before impact"])
            #expect(ranked.object["startsFrom"] as? String == "impact" && ranked.object["windowSeconds"] as? Int == 14_400)
            // when a responder marks the deploy as a suspect
            let marked = try await api.write("/api/v1/incidents/\(reference)/changes/\(deploy)/suspect", #"{"reason":"the pool grows from then"}"#)
            #expect(marked.status == .created, "\(marked.text)")
            #expect(((marked.object["items"] as? [[String: Any]])?.first?["suspected"] as? Bool) == true)
            // then the timeline says so, and a second mark is refused
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer)
            #expect(timeline.array.contains { ($0["text"] as? String)?.hasPrefix("Suspect change: Deploy v2.34 (web, ") == true && $0["kind"] as? String == "finding" })
            _ = try await api.write("/api/v1/incidents/\(reference)/changes/\(deploy)/suspect").expectProblem(.conflict)
            _ = try await api.write("/api/v1/incidents/\(reference)/changes/\(UUID().uuidString)/suspect").expectProblem(.notFound)
        }
    }
}
