import Foundation
import MusterCore
import Testing

@testable import MusterStore

@Suite("Remembered documents")
struct DocumentMemoTests {
    static func incident(at seconds: Double) throws -> Incident {
        try Incident.declare(
            IncidentDeclaration(title: "Checkout failing", services: ["checkout"], severity: "P2"),
            id: UUID(), number: 7, scheme: .standard, by: "alice", at: Date(timeIntervalSince1970: seconds)
        ).0
    }

    @Test("a remembered document decodes to what a fresh decoder reads from the same text")
    func sameAsDecoder() throws {
        // given: an incident with an awkward time, encoded (and so remembered)
        let incident = try Self.incident(at: 1_795_000_000.123_456_7)
        let text = try DocumentCoding.encode(incident)
        // when
        let remembered = try DocumentCoding.decode(Incident.self, from: text)
        let fresh = try JSONDecoder().decode(Incident.self, from: Data(text.utf8))
        // then
        #expect(remembered == fresh)
        #expect(remembered == incident)
    }

    @Test("different text is never answered from memory")
    func keyedByText() throws {
        // given
        let first = try Self.incident(at: 1_795_000_000)
        var second = first
        second.title = "Checkout slow"
        let firstText = try DocumentCoding.encode(first)
        let secondText = try DocumentCoding.encode(second)
        // when / then
        #expect(try DocumentCoding.decode(Incident.self, from: firstText).title == "Checkout failing")
        #expect(try DocumentCoding.decode(Incident.self, from: secondText).title == "Checkout slow")
        #expect(throws: StoreError.self) { try DocumentCoding.decode(Incident.self, from: "{\"not\": \"an incident\"}") }
    }
}
