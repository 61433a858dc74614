import Foundation
import HTTPTypes
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Status page components API")
struct StatusComponentAPITests {
    @Test(
        "a component turns major outage when a P1 on its service is published, and operational when it is resolved",
        arguments: TestBackend.all)
    func statusFollowsPublishedIncidents(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a component for the payments service, and a P1 on payments not yet published
            _ = try await api.write("/api/v1/services", #"{"id":"payments","name":"Payments"}"#)
            let created = try await api.write(
                "/api/v1/status-components", #"{"id":"checkout","name":"Checkout","services":["payments"],"position":1}"#)
            #expect(created.status == .created && created.object["status"] as? String == "operational", "\(created.text)")
            let reference = try await api.declare(#"{"title":"Card payments fail","severity":"P1","services":["payments"]}"#)
            let quiet = try await api.send(.get, "/api/v1/status-components/checkout", token: api.viewer)
            #expect(quiet.object["status"] as? String == "operational", "an incident not published does not show")
            // when an external update publishes it
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates", #"{"audience":"external","phase":"investigating","text":"Looking into it."}"#)
            // then the component is in major outage, saying why
            let down = try await api.send(.get, "/api/v1/status-components", token: api.viewer)
            let item = try #require(down.array.first)
            #expect(item["status"] as? String == "major_outage" && item["statusReason"] as? String == "Card payments fail", "\(down.text)")
            // when the incident is resolved, the component is operational again
            _ = try await api.write(.post, "/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back"}"#)
            let up = try await api.send(.get, "/api/v1/status-components/checkout", token: api.viewer)
            #expect(up.object["status"] as? String == "operational" && up.object["statusReason"] == nil, "\(up.text)")
        }
    }

    @Test("mistakes are refused naming their field; the id cannot change; a component is deleted", arguments: PageTestBackends.pages)
    func refusals(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let unknown = try await api.write("/api/v1/status-components", #"{"id":"a","name":"A","services":[],"colour":"red"}"#)
            _ = unknown.expectProblem(.badRequest, field: "colour")
            let service = try await api.write("/api/v1/status-components", #"{"id":"a","name":"A","services":["nowhere"]}"#)
            _ = service.expectProblem(.badRequest, field: "services")
            let id = try await api.write("/api/v1/status-components", #"{"id":"Not An Id","name":"A","services":[]}"#)
            _ = id.expectProblem(.badRequest, field: "id")
            #expect(try await api.write("/api/v1/status-components", #"{"id":"a","name":"A","services":[]}"#).status == .created)
            let renamed = try await api.write(.put, "/api/v1/status-components/a", #"{"id":"b","name":"A","services":[]}"#)
            _ = renamed.expectProblem(.badRequest, field: "id")
            let viewer = try await api.send(.delete, "/api/v1/status-components/a", token: api.viewer)
            #expect(viewer.status == .forbidden)
            #expect(try await api.write(.delete, "/api/v1/status-components/a").status == .noContent)
        }
    }

    @Test(
        "status.json and components.json answer as Statuspage's v2 API does, without a token, and follow the incident",
        arguments: PageTestBackends.pages)
    func statuspageJSON(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a quiet page with one component on payments
            _ = try await api.write("/api/v1/services", #"{"id":"payments","name":"Payments"}"#)
            _ = try await api.write("/api/v1/status-components", #"{"id":"checkout","name":"Checkout","services":["payments"]}"#)
            let quiet = try await api.send(.get, "/api/v2/status.json")
            #expect(quiet.status == .ok, "\(quiet.text)")
            #expect((quiet.object["status"] as? [String: Any])?["indicator"] as? String == "none")
            #expect((quiet.object["status"] as? [String: Any])?["description"] as? String == "All Systems Operational")
            // when a P1 on payments is published
            let reference = try await api.declare(#"{"title":"Card payments fail","severity":"P1","services":["payments"]}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/updates", #"{"audience":"external","phase":"identified","text":"Rolling back."}"#)
            // then the page is critical and the component in major outage, every Statuspage field present
            let status = try await api.send(.get, "/api/v2/status.json").object
            #expect((status["status"] as? [String: Any])?["indicator"] as? String == "critical")
            let page = try #require(status["page"] as? [String: Any])
            #expect(Set(page.keys) == ["id", "name", "url", "time_zone", "updated_at"])
            let components = try await api.send(.get, "/api/v2/components.json").object["components"] as? [[String: Any]]
            let checkout = try #require(components?.first)
            #expect(checkout["status"] as? String == "major_outage" && checkout["page_id"] as? String == page["id"] as? String)
            #expect(checkout["description"] is NSNull && checkout["group_id"] is NSNull && checkout["group"] as? Bool == false)
            #expect(
                Set(checkout.keys) == [
                    "id", "name", "status", "created_at", "updated_at", "position", "description", "showcase", "start_date", "group_id",
                    "page_id", "group", "only_show_if_degraded",
                ])
        }
    }

    @Test(
        "a status set by hand wins, says who and why, ends by itself or when cleared; mistakes name their field",
        arguments: PageTestBackends.pages)
    func override(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a quiet component
            _ = try await api.write("/api/v1/status-components", #"{"id":"checkout","name":"Checkout","services":[]}"#)
            // when it is set to partial outage for an hour
            let set = try await api.write(
                .put, "/api/v1/status-components/checkout/override",
                #"{"status":"partial_outage","reason":"Card payments slow","for":"1h"}"#)
            // then it shows, with who and why, and the page follows
            #expect(set.status == .ok && set.object["status"] as? String == "partial_outage", "\(set.text)")
            #expect(set.object["statusReason"] as? String == "Card payments slow")
            #expect((set.object["override"] as? [String: Any])?["setBy"] as? String == "alice")
            let page = try await api.send(.get, "/api/v2/status.json").object
            #expect((page["status"] as? [String: Any])?["indicator"] as? String == "major")
            // when the hour has passed, it is operational again without anyone clearing it
            api.clock.advance(by: 3_600)
            #expect(
                try await api.send(.get, "/api/v1/status-components/checkout", token: api.viewer).object["status"] as? String
                    == "operational")
            // when one is set until cleared, and cleared
            _ = try await api.write(.put, "/api/v1/status-components/checkout/override", #"{"status":"major_outage","reason":"Down"}"#)
            let cleared = try await api.write(.delete, "/api/v1/status-components/checkout/override")
            #expect(cleared.status == .ok && cleared.object["status"] as? String == "operational" && cleared.object["override"] == nil)
            // and mistakes are named
            let past = try await api.write(
                .put, "/api/v1/status-components/checkout/override",
                #"{"status":"major_outage","reason":"x","until":"2020-01-01T00:00:00Z"}"#)
            _ = past.expectProblem(.badRequest, field: "until")
            let both = try await api.write(
                .put, "/api/v1/status-components/checkout/override",
                #"{"status":"major_outage","reason":"x","until":"2099-01-01T00:00:00Z","for":"1h"}"#)
            _ = both.expectProblem(.badRequest, field: "for")
            let status = try await api.write(.put, "/api/v1/status-components/checkout/override", #"{"status":"broken","reason":"x"}"#)
            _ = status.expectProblem(.badRequest, field: "status")
            let reason = try await api.write(
                .put, "/api/v1/status-components/checkout/override", #"{"status":"major_outage","reason":" "}"#)
            _ = reason.expectProblem(.badRequest, field: "reason")
        }
    }
}
