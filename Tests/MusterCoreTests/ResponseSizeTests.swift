import Foundation
import MusterCore
import Testing

@Suite("The roles a response needs")
struct ResponseSizeTests {
    @Test("solo, small and large teams need the seeds' roles at the two most severe levels and fewer below")
    func roles() {
        #expect(ResponseSize.solo.roles(atRank: 1) == [.commander])
        #expect(ResponseSize.small.roles(atRank: 2) == [.commander, .techLead, .communications])
        #expect(ResponseSize.small.roles(atRank: 3) == [.commander])
        #expect(ResponseSize.large.roles(atRank: 1) == [.commander, .techLead, .operations, .communications, .scribe])
        #expect(ResponseSize.large.roles(atRank: 4) == [.commander, .techLead, .communications])
        #expect([ResponseSize.small, .large, .solo].max() == .large)
    }

    @Test("coverage names who holds each role and which are open; a commander is needed until one is assigned")
    func coverage() throws {
        // given a P1 with a tech lead
        var incident = try Fixtures.incident()
        _ = try incident.assign(.techLead, to: "bob", by: "ann", at: Fixtures.t0 + 60)
        // when / then
        let before = incident.roleCoverage(size: .small, severityRank: 1)
        #expect(before.open == [.commander, .communications] && before.commanderNeeded)
        #expect(before.needs.first { $0.role == .techLead }?.holders == ["bob"])
        _ = try incident.assign(.commander, to: "ann", by: "ann", at: Fixtures.t0 + 120)
        #expect(!incident.roleCoverage(size: .small, severityRank: 1).commanderNeeded)
    }
}
