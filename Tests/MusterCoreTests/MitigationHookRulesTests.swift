import Foundation
import Testing

@testable import MusterCore

@Suite("Mitigation hooks in the core")
struct MitigationHookRulesTests {
    let t0 = Fixtures.t0

    @Test("hooks are named by kind and must be http(s) URLs; only scheme, host and port are shown")
    func configuration() throws {
        // given / when
        let hooks = try MitigationHooks([
            "rollback": "https://bot:pw@ci.example.com/job/rollback?token=s3cret", "restart": "http://ops:8080/r",
        ])
        // then
        #expect(hooks.kinds == [.rollback, .restart])
        #expect(hooks.shownAddress(for: .rollback) == "https://ci.example.com" && hooks.shownAddress(for: .restart) == "http://ops:8080")
        #expect(hooks.url(for: .scale) == nil)
        #expect(
            throws: IncidentError.invalidField(
                field: "mitigations.hooks.rolback", reason: "is not a mitigation kind; use \(MitigationKind.allowedValues).")
        ) {
            try MitigationHooks(["rolback": "https://ci.example.com"])
        }
        for bad in ["ftp://ci.example.com/x", "https:///nohost", "https://ci.example.com/x\nInjected: 1", ""] {
            #expect(throws: IncidentError.self, "\(bad)") { try MitigationHooks(["rollback": bad]) }
        }
    }

    @Test("only an action with a kind that has a hook, not yet marked mitigated, may call it")
    func check() throws {
        // given
        let hooks = try MitigationHooks(["rollback": "https://ci.example.com/rollback"])
        // when / then
        #expect(try hooks.check(kind: .action, mitigation: .rollback, markMitigated: false) == .rollback)
        #expect(throws: IncidentError.self) { try hooks.check(kind: .note, mitigation: .rollback, markMitigated: false) }
        #expect(throws: IncidentError.self) { try hooks.check(kind: .action, mitigation: nil, markMitigated: false) }
        #expect(throws: IncidentError.self) { try hooks.check(kind: .action, mitigation: .scale, markMitigated: false) }
        #expect(throws: IncidentError.self) { try hooks.check(kind: .action, mitigation: .rollback, markMitigated: true) }
    }

    @Test("the answer is recorded on one line: accepted, refused or unreachable")
    func answers() throws {
        // given
        let incident = try Fixtures.incident()
        let call = UUID()
        let long = String(repeating: "x", count: 600)
        // when
        let taken = incident.hookAnswered(
            MitigationHookAnswer(status: 202, reason: "Accepted", body: "Job 4812\n\tqueued\u{7}", address: "https://ci.example.com"),
            mitigation: .rollback, call: call, by: "muster", at: t0)
        let refused = incident.hookAnswered(
            MitigationHookAnswer(status: 500, reason: "Internal Server Error", body: long, address: "https://ci.example.com"),
            mitigation: .restart, call: call, by: "muster", at: t0)
        let unreachable = incident.hookAnswered(
            MitigationHookAnswer(status: nil, failure: "ci.example.com refused the connection", address: "https://ci.example.com"),
            mitigation: .failover, call: call, by: "muster", at: t0)
        // then
        #expect(taken.text == "Rollback hook (https://ci.example.com) answered 202 Accepted: Job 4812 queued")
        #expect(
            taken.details["hookAccepted"] == "true" && taken.details["hookCall"] == call.uuidString && taken.details["hookStatus"] == "202")
        #expect(refused.text.hasSuffix(String(repeating: "x", count: 500) + "…") && refused.details["hookAccepted"] == "false")
        #expect(unreachable.text == "Failover hook (https://ci.example.com) failed: ci.example.com refused the connection")
        #expect(unreachable.details["hookStatus"] == nil)
    }
}
