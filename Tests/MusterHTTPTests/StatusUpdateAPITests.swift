import Foundation
import HTTPTypes
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Status updates API")
struct StatusUpdateAPITests {
    @Test(
        "an update is previewed from its template, then published: its entry is on the timeline and its clocks move",
        arguments: TestBackend.all)
    func previewAndPublish(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1 on checkout declared now
            _ = try await api.write("/api/v1/services", #"{"id":"checkout","name":"Checkout"}"#)
            let reference = try await api.declare(#"{"title":"Card payments fail","severity":"P1","services":["checkout"]}"#)
            let declared =
                try await api.send(.get, "/api/v1/incidents/\(reference)", token: api.viewer).object["incident"] as? [String: Any]
            let clocks = try #require(declared?["updateClocks"] as? [[String: Any]])
            #expect(clocks.map { $0["audience"] as? String } == ["internal", "external"])
            #expect(clocks.first?["seconds"] as? Double == 900)
            // when a responder previews an internal update
            api.clock.advance(by: 600)
            let body = #"{"audience":"internal","phase":"identified","text":"Rolling back the 14:05 deploy.","nextUpdateIn":"10m"}"#
            let preview = try await api.write("/api/v1/incidents/\(reference)/updates?preview=true", body)
            // then the template wrote it from the incident, and nothing was kept
            #expect(preview.status == .ok, "\(preview.text)")
            let text = try #require(preview.object["body"] as? String)
            #expect(text.contains("\(reference) P1 · Identified") && text.contains("Now: Rolling back the 14:05 deploy."), "\(text)")
            #expect(text.contains("Services: checkout") && text.contains("Next update:"))
            #expect(
                try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array.allSatisfy {
                    $0["kind"] as? String != "update_published"
                })
            // when it is published
            let published = try await api.write("/api/v1/incidents/\(reference)/updates", body)
            // then its entry is on the timeline, and the internal clock is due at the promised time
            #expect(published.status == .created, "\(published.text)")
            let entry = try #require(
                try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array.first {
                    $0["kind"] as? String == "update_published"
                })
            #expect(entry["text"] as? String == text && entry["author"] as? String == "alice")
            #expect((entry["details"] as? [String: String])?["audience"] == "internal")
            let after = try #require((published.object["incident"] as? [String: Any])?["updateClocks"] as? [[String: Any]])
            #expect(after.first?["seconds"] as? Double == 600 && after.first?["promised"] as? Bool == true)
            #expect(after.last?["seconds"] as? Double == 1_200, "the external clock still runs from the declaration")
            // when a customer-facing update is written, it uses the external wording
            let external = try await api.write(
                "/api/v1/incidents/\(reference)/updates?preview=true",
                #"{"audience":"external","phase":"investigating","text":"Some card payments fail."}"#)
            #expect(
                (external.object["body"] as? String)?.hasPrefix("We are looking into a problem with checkout.") == true, "\(external.text)")
        }
    }

    @Test(
        "an update without its template is published as written; mistakes name their field; viewers may not publish",
        arguments: PageTestBackends.pages)
    func rawAndRefused(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident
            let reference = try await api.declare()
            // when an update goes out as written
            let raw = try await api.write(
                "/api/v1/incidents/\(reference)/updates",
                #"{"audience":"both","phase":"monitoring","text":"Exactly this.","template":false}"#)
            #expect(raw.status == .created && raw.object["body"] as? String == "Exactly this.")
            // then mistakes are refused naming the field
            let audience = try await api.write("/api/v1/incidents/\(reference)/updates", #"{"audience":"everyone","phase":"monitoring"}"#)
            _ = audience.expectProblem(.badRequest, field: "audience")
            let past = try await api.write(
                "/api/v1/incidents/\(reference)/updates",
                #"{"audience":"internal","phase":"monitoring","nextUpdateAt":"2020-01-01T00:00:00Z"}"#)
            _ = past.expectProblem(.badRequest, field: "nextUpdateAt")
            let both = try await api.write(
                "/api/v1/incidents/\(reference)/updates",
                #"{"audience":"internal","phase":"monitoring","nextUpdateIn":"5m","nextUpdateAt":"2030-01-01T00:00:00Z"}"#)
            _ = both.expectProblem(.badRequest, field: "nextUpdateIn")
            // and a viewer is refused
            let viewer = try await api.send(
                .post, "/api/v1/incidents/\(reference)/updates", token: api.viewer, body: #"{"audience":"internal","phase":"monitoring"}"#)
            #expect(viewer.status == .forbidden)
        }
    }

    @Test(
        "an incident's chat channel and call bridge are set, shown in its updates, changed, cleared, and checked",
        arguments: PageTestBackends.pages)
    func warRoom(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an incident declared with a channel
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1","channel":"https://chat.example.com/inc-1"}"#)
            // when a bridge is added, and an internal update written
            let edited = try await api.write(
                .patch, "/api/v1/incidents/\(reference)", #"{"bridge":"zoommtg://zoom.example.com/join?confno=42"}"#)
            #expect(
                edited.status == .ok && edited.object["bridge"] as? String == "zoommtg://zoom.example.com/join?confno=42", "\(edited.text)")
            let update = try await api.write(
                "/api/v1/incidents/\(reference)/updates?preview=true", #"{"audience":"internal","phase":"investigating"}"#)
            // then the update carries both links, and leaves out what was not given
            let body = try #require(update.object["body"] as? String)
            #expect(body.contains("Channel: https://chat.example.com/inc-1") && body.contains("Bridge: zoommtg://"), "\(body)")
            #expect(!body.contains("Now:") && !body.contains("Incident commander:"))
            // when the channel is cleared, it is gone, and the timeline says so
            let cleared = try await api.write(.patch, "/api/v1/incidents/\(reference)", #"{"channel":""}"#)
            #expect(cleared.status == .ok && cleared.object["channel"] == nil)
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            #expect(timeline.contains { $0["text"] as? String == "Chat channel removed" })
            // and a link that is not one, or a script, is refused naming the field
            _ = try await api.write(.patch, "/api/v1/incidents/\(reference)", #"{"channel":"the war room"}"#).expectProblem(
                .badRequest, field: "channel")
            _ = try await api.write(.patch, "/api/v1/incidents/\(reference)", #"{"bridge":"javascript:alert(1)"}"#).expectProblem(
                .badRequest, field: "bridge")
        }
    }
}
