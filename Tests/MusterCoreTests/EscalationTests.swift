import Foundation
import Testing
@testable import MusterCore

@Suite("Escalation")
struct EscalationTests {
    let t0 = Fixtures.t0

    func policy(repeats: Int = 1) throws -> EscalationPolicy {
        try EscalationPolicy(id: "web", name: "Web", levels: [
            EscalationLevel(targets: [.schedule("primary")], delayMinutes: 5),
            EscalationLevel(targets: [.user("lead"), .schedule("secondary")], delayMinutes: 10),
        ], repeats: repeats)
    }

    @Test("levels fire in order after their delays, then the policy repeats and ends")
    func walk() throws {
        // given
        var escalation = Escalation(incidentID: UUID(), policy: try policy(repeats: 1), startAt: t0)
        // when / then
        #expect(escalation.fire(at: t0)?.targets == [.schedule("primary")])
        #expect(escalation.fire(at: t0.addingTimeInterval(299)) == nil)
        let second = escalation.fire(at: t0.addingTimeInterval(300))
        #expect(second?.targets == [.user("lead"), .schedule("secondary")])
        #expect(second?.next == t0.addingTimeInterval(900))
        let repeatFirst = escalation.fire(at: t0.addingTimeInterval(900))
        #expect(repeatFirst?.round == 1)
        #expect(repeatFirst?.level == 0)
        let last = escalation.fire(at: t0.addingTimeInterval(1_200))
        #expect(last?.ranOut == false)
        #expect(last?.next == t0.addingTimeInterval(1_800))
        // after the last level's wait, nobody having acknowledged, the escalation has run out
        #expect(escalation.fire(at: t0.addingTimeInterval(1_799)) == nil)
        let ranOut = escalation.fire(at: t0.addingTimeInterval(1_800))
        #expect(ranOut?.ranOut == true)
        #expect(ranOut?.targets == [])
        #expect(escalation.dueAt == nil)
        #expect(escalation.fire(at: t0.addingTimeInterval(99_999)) == nil)
    }

    @Test("stopping ends it; escalating by hand makes the next level due at once")
    func stopAndEscalate() throws {
        var escalation = Escalation(incidentID: UUID(), policy: try policy(), startAt: t0)
        _ = escalation.fire(at: t0)
        escalation.escalateNow(at: t0.addingTimeInterval(10))
        #expect(escalation.fire(at: t0.addingTimeInterval(10))?.level == 1)
        escalation.stop()
        #expect(escalation.fire(at: t0.addingTimeInterval(10_000)) == nil)
    }

    @Test("a late engine pages once and counts the next delay from the page")
    func lateEngine() throws {
        var escalation = Escalation(incidentID: UUID(), policy: try policy(), startAt: t0)
        _ = escalation.fire(at: t0)
        let late = escalation.fire(at: t0.addingTimeInterval(3_600))
        #expect(late?.level == 1)
        #expect(late?.next == t0.addingTimeInterval(3_600 + 600))
    }

    @Test("policies validate levels, delays and repeats; targets decode with a clear error")
    func validation() throws {
        #expect(throws: IncidentError.self) { try EscalationPolicy(id: "x", name: "x", levels: [], repeats: 0) }
        #expect(throws: IncidentError.self) { try EscalationLevel(targets: [], delayMinutes: 5) }
        #expect(throws: IncidentError.self) { try EscalationLevel(targets: [.user("a")], delayMinutes: 0) }
        let json = Data(#"{"id":"p","name":"P","levels":[{"targets":[{"type":"group","id":"x"}],"delayMinutes":5}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EscalationPolicy.self, from: json) }
    }
}
