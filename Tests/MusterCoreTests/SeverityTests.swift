import Foundation
import Testing

@testable import MusterCore

@Suite("Severity scheme and matrix")
struct SeverityTests {
    /// Expected proposals for the default scheme: the heavier impact decides.
    static let matrix: [(UserImpact, BusinessImpact, String)] = [
        (.all, .revenueLoss, "P1"), (.all, .significant, "P1"), (.all, .moderate, "P1"), (.all, .low, "P1"),
        (.many, .revenueLoss, "P1"), (.many, .significant, "P2"), (.many, .moderate, "P2"), (.many, .low, "P2"),
        (.some, .revenueLoss, "P1"), (.some, .significant, "P2"), (.some, .moderate, "P3"), (.some, .low, "P3"),
        (.few, .revenueLoss, "P1"), (.few, .significant, "P2"), (.few, .moderate, "P3"), (.few, .low, "P4"),
    ]

    @Test("the matrix proposes the documented level for all sixteen cells", arguments: matrix)
    func proposals(users: UserImpact, business: BusinessImpact, expected: String) {
        #expect(SeverityScheme.standard.propose(users: users, business: business).name == expected)
    }

    @Test("presets keep the targets of the reference process")
    func presetTargets() throws {
        let p1 = try SeverityScheme.standard.level(named: "P1")
        #expect(p1.acknowledgeTargetSeconds == 300)
        #expect(p1.resolveTargetSeconds == 3_600)
        #expect(p1.internalUpdateSeconds == 900)
        #expect(p1.externalUpdateSeconds == 1_800)
        let p4 = try SeverityScheme.standard.level(named: "p4")
        #expect(p4.acknowledgeTargetSeconds == 86_400)
        #expect(p4.externalUpdateSeconds == nil)
        #expect(SeverityScheme.zeroBased.names == ["P0", "P1", "P2", "P3"])
        #expect(SeverityScheme.sev.propose(users: .all, business: .low).name == "SEV1")
    }

    @Test("a three-level scheme still maps every row of the matrix")
    func smallerScheme() throws {
        let levels = ["HIGH", "MED", "LOW"].map {
            Severity(
                name: $0, label: $0, description: "", acknowledgeTargetSeconds: 60, resolveTargetSeconds: 600,
                internalUpdateSeconds: nil, externalUpdateSeconds: nil, pageImmediately: true)
        }
        let scheme = try SeverityScheme(levels: levels)
        #expect(UserImpact.allCases.map { scheme.propose(users: $0, business: .low).name } == ["HIGH", "MED", "MED", "LOW"])
    }

    @Test("schemes reject duplicate names and empty lists")
    func invalidSchemes() {
        let level = Severity(
            name: "A", label: "A", description: "", acknowledgeTargetSeconds: 1, resolveTargetSeconds: 1,
            internalUpdateSeconds: nil, externalUpdateSeconds: nil, pageImmediately: true)
        #expect(throws: IncidentError.self) { try SeverityScheme(levels: []) }
        #expect(throws: IncidentError.self) { try SeverityScheme(levels: [level, level]) }
    }

    @Test("changing severity needs a reason and records an override of the matrix")
    func changeSeverity() throws {
        // given
        var incident = try Incident.declare(
            IncidentDeclaration(title: "x", impact: Impact(userImpact: .few, businessImpact: .low)),
            id: UUID(), number: 1, scheme: .standard, by: "a", at: Fixtures.t0
        ).0
        #expect(incident.severity == "P4")
        // when
        let missing = #expect(throws: IncidentError.self) {
            try incident.changeSeverity(to: "P2", reason: nil, scheme: .standard, by: "b", at: Fixtures.t0)
        }
        let entries = try incident.changeSeverity(to: "p2", reason: "VIP customer", scheme: .standard, by: "b", at: Fixtures.t0)
        // then
        #expect(missing?.field == "reason")
        #expect(incident.severity == "P2")
        #expect(entries[0].kind == .severityChange)
        #expect(entries[0].details["override"] == "matrix proposes P4")
        #expect(entries[0].text == "Severity raised from P4 to P2: VIP customer")
        #expect(throws: IncidentError.sameSeverity("P2")) {
            try incident.changeSeverity(to: "P2", reason: "again", scheme: .standard, by: "b", at: Fixtures.t0)
        }
        #expect(throws: IncidentError.unknownSeverity("SEV1", known: ["P1", "P2", "P3", "P4"])) {
            try incident.changeSeverity(to: "SEV1", reason: "x", scheme: .standard, by: "b", at: Fixtures.t0)
        }
    }
}
