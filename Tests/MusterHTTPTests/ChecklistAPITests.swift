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
}
