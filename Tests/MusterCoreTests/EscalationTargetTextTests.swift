import Foundation
import Testing

@testable import MusterCore

@Suite("Escalation targets as people type them")
struct EscalationTargetTextTests {
    let names = EscalationTargetText(users: ["ann", "bob", "primary"], schedules: ["primary", "night"], teams: ["payments"])

    @Test("bare ids are whatever exists; a prefix settles an id that is two things; repeats are dropped")
    func parse() throws {
        // when / then
        #expect(try names.parse("night, ann,payments , ann", field: "t") == [.schedule("night"), .user("ann"), .team("payments")])
        #expect(try names.parse("schedule:primary, user:primary", field: "t") == [.schedule("primary"), .user("primary")])
        #expect(try names.parse(" , ", field: "t").isEmpty)
    }

    @Test("an unknown, ambiguous or wrongly prefixed id is refused, naming the field and what to write")
    func refusals() {
        #expect(throws: IncidentError.invalidField(field: "t", reason: "names 'zed', which is no person, schedule or team.")) {
            try names.parse("ann, zed", field: "t")
        }
        #expect(
            throws: IncidentError.invalidField(
                field: "t", reason: "names 'primary', which is a user and a schedule; write user:primary or schedule:primary.")
        ) { try names.parse("primary", field: "t") }
        #expect(throws: IncidentError.self) { try names.parse("team:ann", field: "t") }
        #expect(throws: IncidentError.self) { try names.parse("group:payments", field: "t") }
    }

    @Test("targets are shown back bare, with the kind only where the id is ambiguous, and read the same again")
    func roundTrip() throws {
        // given
        let targets: [EscalationTarget] = [.schedule("primary"), .user("bob"), .team("payments")]
        // when
        let text = names.text(targets)
        // then
        #expect(text == "schedule:primary, bob, payments")
        #expect(try names.parse(text, field: "t") == targets)
    }
}
