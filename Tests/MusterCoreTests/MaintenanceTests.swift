import Foundation
import Testing

@testable import MusterCore

@Suite("Scheduled maintenance")
struct MaintenanceTests {
    let t0 = Fixtures.t0

    func planned(verify: Int = 600) throws -> Maintenance {
        try Maintenance(
            id: UUID(), title: "Database upgrade", message: "We upgrade the primary database.", components: ["checkout"],
            startsAt: t0 + 3_600, endsAt: t0 + 7_200, verifySeconds: verify, createdBy: "ann", at: t0)
    }

    @Test("on a manual clock it moves scheduled → in progress → verifying → completed at its times, each move posted once")
    func movesByItself() throws {
        // given a maintenance from one to two hours from now, verified for ten minutes
        var maintenance = try planned()
        #expect(maintenance.state == .scheduled && maintenance.nextMoveAt == t0 + 3_600)
        // when the clock has not reached the start, nothing moves
        #expect(maintenance.advance(at: t0 + 3_599).isEmpty && maintenance.state == .scheduled)
        // when it reaches the start, it is in progress, posted at the start time
        let started = maintenance.advance(at: t0 + 3_600)
        #expect(started.map(\.state) == [.inProgress] && started[0].at == t0 + 3_600 && maintenance.state.holdsComponents)
        #expect(maintenance.advance(at: t0 + 3_700).isEmpty, "a move is posted once")
        // when the end passes, it is verifying; ten minutes later, completed
        #expect(maintenance.advance(at: t0 + 7_200).map(\.state) == [.verifying])
        #expect(maintenance.state.holdsComponents && maintenance.nextMoveAt == t0 + 7_800)
        #expect(maintenance.advance(at: t0 + 7_800).map(\.state) == [.completed])
        #expect(maintenance.nextMoveAt == nil && !maintenance.state.holdsComponents)
        #expect(maintenance.updates.map(\.state) == [.scheduled, .inProgress, .verifying, .completed])
    }

    @Test("a server that was down catches up in one call, each move dated when it fell due; 0 s of verifying skips it")
    func catchesUp() throws {
        var maintenance = try planned()
        let moves = maintenance.advance(at: t0 + 86_400)
        #expect(moves.map(\.state) == [.inProgress, .verifying, .completed])
        #expect(moves.map(\.at) == [t0 + 3_600, t0 + 7_200, t0 + 7_800])
        var quick = try planned(verify: 0)
        #expect(quick.advance(at: t0 + 7_200).map(\.state) == [.inProgress, .completed])
    }

    @Test("by hand it moves forward only, with a message or a standard one; messages are posted; a started one keeps its window")
    func byHand() throws {
        var maintenance = try planned()
        let early = try maintenance.move(to: .inProgress, body: nil, by: "ann", at: t0 + 60)
        #expect(early.body == Maintenance.standardText(for: .inProgress) && early.author == "ann")
        #expect(throws: IncidentError.self) { try maintenance.move(to: .scheduled, body: nil, by: "ann", at: t0 + 120) }
        #expect(throws: IncidentError.self) { try maintenance.reschedule(startsAt: t0 + 600, endsAt: t0 + 900, at: t0 + 120) }
        _ = try maintenance.post("Half of the tables are done.", by: "ann", at: t0 + 600)
        _ = try maintenance.move(to: .completed, body: "All done, early.", by: "ann", at: t0 + 900)
        #expect(maintenance.updates.map(\.state) == [.scheduled, .inProgress, .inProgress, .completed])
        #expect(throws: IncidentError.self) { try maintenance.post("More?", by: "ann", at: t0 + 1_000) }
    }

    @Test("a window that ends before it starts, lies in the past, or lasts over a month is refused naming its field")
    func refusals() {
        func make(_ start: Date, _ end: Date, components: [String] = ["checkout"]) throws {
            _ = try Maintenance(
                id: UUID(), title: "Work", message: "Work.", components: components, startsAt: start, endsAt: end, createdBy: "ann", at: t0)
        }
        let cases: [(Date, Date, [String], String)] = [
            (t0 + 600, t0 + 300, ["checkout"], "endsAt"), (t0 - 900, t0 - 300, ["checkout"], "endsAt"),
            (t0, t0 + 32 * 86_400, ["checkout"], "endsAt"), (t0, t0 + 600, [], "components"),
            (t0, t0 + 600, ["a", "a"], "components"),
        ]
        for (start, end, components, field) in cases {
            do {
                try make(start, end, components: components)
                Issue.record("accepted \(start)–\(end) \(components)")
            } catch let IncidentError.invalidField(field: named, reason: _) {
                #expect(named == field)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
