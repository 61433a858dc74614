import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Incident checklists over HTTP")
struct ChecklistAPITests {
    @Test("a P1 carries its checklists; items are ticked, skipped with a reason and added, each on the timeline", arguments: TestBackend.all)
    func checklist(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1
            let reference = try await api.declare()
            // when its checklist is read
            let read = try await api.send(.get, "/api/v1/incidents/\(reference)/checklist", token: api.viewer)
            // then the lists for its severity are there, all open
            let lists = try #require(read.object["lists"] as? [[String: Any]])
            #expect(lists.map { $0["id"] as? String } == ["initial-assessment", "investigation", "sev1-protocol", "resolution"])
            #expect(read.object["settled"] as? Int == 0 && read.object["openResolutionItems"] as? Int == 14)
            // when a responder ticks one, skips one with a reason and adds one
            let ticked = try await api.write(
                "/api/v1/incidents/\(reference)/checklist/marks", #"{"item":"investigation/deployments-in-the-last-four-hours","state":"done"}"#)
            #expect(ticked.status == .ok && ticked.object["settled"] as? Int == 1, "\(ticked.text)")
            let skipped = try await api.write(
                "/api/v1/incidents/\(reference)/checklist/marks",
                #"{"item":"investigation/queue-depths","state":"skipped","reason":"no queues here"}"#)
            #expect(skipped.object["settled"] as? Int == 2, "\(skipped.text)")
            let added = try await api.write("/api/v1/incidents/\(reference)/checklist/items", #"{"text":"Ask the card processor"}"#)
            #expect(added.status == .created && (added.object["lists"] as? [[String: Any]])?.last?["id"] as? String == "added")
            // then the timeline names each, with its author
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            let notes = timeline.compactMap { $0["text"] as? String }.filter { $0.hasPrefix("Checklist:") }
            #expect(
                notes == [
                    "Checklist: done: Deployments in the last four hours", "Checklist: skipped: Queue depths (no queues here)",
                    "Checklist: added: Ask the card processor",
                ], "\(notes)")
            #expect(timeline.first { ($0["text"] as? String)?.hasPrefix("Checklist:") == true }?["author"] as? String == "alice")
            // and mistakes are refused, naming the field
            _ = try await api.write("/api/v1/incidents/\(reference)/checklist/marks", #"{"item":"investigation/queue-depths","state":"done","why":"x"}"#)
                .expectProblem(.badRequest, field: "why")
            _ = try await api.write("/api/v1/incidents/\(reference)/checklist/marks", #"{"item":"resolution/alerts-cleared","state":"skipped"}"#)
                .expectProblem(.badRequest, field: "reason")
            _ = try await api.write("/api/v1/incidents/\(reference)/checklist/marks", #"{"item":"nowhere/x","state":"done"}"#)
                .expectProblem(.badRequest, field: "item")
            _ = try await api.send(
                .post, "/api/v1/incidents/\(reference)/checklist/marks", token: api.viewer, body: #"{"item":"resolution/alerts-cleared","state":"done"}"#
            ).expectProblem(.forbidden)
            _ = try await api.send(.get, "/api/v1/incidents/INC-1999-0001/checklist", token: api.viewer).expectProblem(.notFound)
        }
    }

    @Test("resolving with resolution items open or inside the stability window needs a reason in force, noted", arguments: TestBackend.all)
    func resolveHolds(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P2 a rollback has just mitigated
            let reference = try await api.declare(#"{"title":"Search slow","severity":"P2"}"#)
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/timeline",
                #"{"kind":"action","text":"Rolled back","result":"succeeded","mitigation":"rollback","markMitigated":true}"#)
            // when it is resolved at once, by either route, without a reason
            let refused = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"resolution":"Rolled back"}"#)
            let detail = refused.expectProblem(.conflict, field: "force")
            _ = try await api.write("/api/v1/incidents/\(reference)/status", #"{"status":"resolved"}"#).expectProblem(.conflict, field: "force")
            // then both holds are named
            #expect(detail.contains("14 resolution checklist items are open") && detail.contains("stable for 0s of the 15m"), "\(detail)")
            // when every resolution item is ticked and ten minutes pass
            let lists = try #require(
                try await api.send(.get, "/api/v1/incidents/\(reference)/checklist", token: api.viewer).object["lists"] as? [[String: Any]])
            let resolution = try #require(lists.first { $0["phase"] as? String == "resolution" }?["sections"] as? [[String: Any]])
            for item in resolution.flatMap({ $0["items"] as? [[String: Any]] ?? [] }).compactMap({ $0["key"] as? String }) {
                _ = try await api.write("/api/v1/incidents/\(reference)/checklist/marks", #"{"item":"\#(item)","state":"done"}"#)
            }
            api.clock.advance(by: 600)
            // then only the stability window holds it back
            let early = try await api.write("/api/v1/incidents/\(reference)/resolve", "{}").expectProblem(.conflict, field: "force")
            #expect(!early.contains("checklist") && early.contains("stable for 10m"), "\(early)")
            // when the responder confirms with a reason
            let forced = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"resolution":"Rolled back","force":"Traffic is back to normal"}"#)
            #expect(forced.status == .ok && forced.object["status"] as? String == "resolved", "\(forced.text)")
            // then the timeline says what was overridden, and why
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            let note = timeline.compactMap { $0["text"] as? String }.first { $0.hasPrefix("Resolved although") }
            #expect(note?.contains("stable for 10m") == true && note?.hasSuffix(": Traffic is back to normal") == true, "\(String(describing: note))")
            // when, reopened after the window has passed, it is resolved again with every item ticked
            api.clock.advance(by: 360)
            _ = try await api.write("/api/v1/incidents/\(reference)/reopen", #"{"reason":"Errors again"}"#)
            let again = try await api.write("/api/v1/incidents/\(reference)/resolve", "{}")
            // then nothing holds it back and nothing more is noted
            #expect(again.status == .ok, "\(again.text)")
            let after = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            #expect(after.compactMap { $0["text"] as? String }.filter { $0.hasPrefix("Resolved although") }.count == 1)
        }
    }
}
