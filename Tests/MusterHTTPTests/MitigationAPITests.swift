import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Typed mitigations over HTTP")
struct MitigationAPITests {
    @Test("a rollback that worked is recorded with its target and marks the incident mitigated; mistakes name the field", arguments: TestBackend.all)
    func mitigation(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1
            let reference = try await api.declare()
            // when a rollback that worked is recorded and marked as the mitigation
            let recorded = try await api.write(
                "/api/v1/incidents/\(reference)/timeline",
                #"{"kind":"action","text":"Rolled back to v2.33","result":"succeeded","mitigation":"rollback","target":"api","markMitigated":true}"#)
            // then the incident is monitoring, and the timeline entry carries the mitigation
            #expect(recorded.status == .created && recorded.object["status"] as? String == "monitoring", "\(recorded.text)")
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            let action = try #require(timeline.first { $0["kind"] as? String == "action" })
            #expect((action["details"] as? [String: String]) == ["result": "succeeded", "mitigation": "rollback", "target": "api"])
            #expect(timeline.contains { ($0["text"] as? String)?.hasSuffix("Mitigated by the rollback: Rolled back to v2.33") == true })
            // and a mitigation on a note, an unknown kind, and a failed action marked mitigated are refused
            _ = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"note","text":"x","mitigation":"restart"}"#)
                .expectProblem(.badRequest, field: "mitigation")
            _ = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"action","text":"x","mitigation":"pray"}"#)
                .expectProblem(.badRequest, field: "mitigation")
            _ = try await api.write(
                "/api/v1/incidents/\(reference)/timeline", #"{"kind":"action","text":"x","result":"failed","markMitigated":true}"#
            ).expectProblem(.badRequest, field: "markMitigated")
        }
    }
}
