import Foundation
import MusterStore
import Testing

@testable import MusterHTTP

@Suite("Ingest answers written by hand")
struct IngestAnswerTests {
    @Test("same JSON as the Codable form")
    func sameAsEncoder() throws {
        // given
        struct Answer: Encodable {
            var status: String
            var alerts: Int
            var outcomes: [IngestOutcome]
        }
        let outcomes = [
            IngestOutcome(dedupKey: "fp\"1\"/x", change: .opened, alertID: UUID(), incident: "INC-2026-0001", silenced: false),
            IngestOutcome(dedupKey: "k", change: .ignored, alertID: nil, incident: nil, silenced: false),
            IngestOutcome(dedupKey: "ü🚨", change: .refired, alertID: UUID(), incident: nil, silenced: true),
        ]
        // when
        let byHand = try JSONSerialization.jsonObject(with: Data(IngestAnswer.json(outcomes).utf8)) as? NSDictionary
        let byEncoder =
            try JSONSerialization.jsonObject(
                with: APICoding.encoder.encode(Answer(status: "ok", alerts: 3, outcomes: outcomes))) as? NSDictionary
        // then
        #expect(byHand != nil)
        #expect(byHand == byEncoder)
        #expect(IngestAnswer.json([]) == #"{"alerts":0,"outcomes":[],"status":"ok"}"#)
    }
}
