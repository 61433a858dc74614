import Foundation
import Testing

@testable import MusterStore

@Suite("UUID text")
struct UUIDTextTests {
    @Test("reads what Foundation writes, in either case, and refuses anything else")
    func parse() {
        // given
        let ids = (0..<100).map { _ in UUID() }
        // when / then
        #expect(ids.map { UUIDText.parse($0.uuidString) } == ids)
        #expect(ids.map { UUIDText.parse($0.uuidString.lowercased()) } == ids)
        for bad in ["", "not-a-uuid", String(ids[0].uuidString.dropLast()), ids[0].uuidString + "0",
            ids[0].uuidString.replacingOccurrences(of: "-", with: "_"), "G" + ids[0].uuidString.dropFirst()]
        {
            #expect(UUIDText.parse(bad) == nil, "\(bad)")
        }
    }
}
