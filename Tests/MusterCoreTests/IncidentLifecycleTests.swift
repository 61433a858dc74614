import Foundation
import Testing

@testable import MusterCore

@Suite("Incident lifecycle")
struct IncidentLifecycleTests {
    let t0 = Fixtures.t0

    @Test("declaring numbers the incident by year and writes the first timeline entry")
    func declare() throws {
        // when
        let (incident, entries) = try Incident.declare(
            IncidentDeclaration(title: "  API down  ", severity: "p2", commander: "carol"),
            id: UUID(), number: 42, scheme: .standard, by: "alice", at: t0)
        // then
        #expect(incident.reference == "INC-2026-0042")
        #expect(incident.title == "API down")
        #expect(incident.severity == "P2")
        #expect(incident.status == .triggered)
        #expect(incident.detectedAt == t0)
        #expect(incident.holders(of: .commander) == ["carol"])
        #expect(entries.map(\.kind) == [.declared, .roleChange])
    }

    @Test("declaring without a severity needs both impact axes")
    func declareNeedsSeverity() throws {
        // when
        let error = #expect(throws: IncidentError.self) {
            try Incident.declare(IncidentDeclaration(title: "x"), id: UUID(), number: 1, scheme: .standard, by: "a", at: t0)
        }
        // then
        #expect(error?.field == "severity")
    }

    @Test("declaring from impact uses the matrix")
    func declareFromImpact() throws {
        let (incident, entries) = try Incident.declare(
            IncidentDeclaration(title: "Slow search", impact: Impact(userImpact: .some, businessImpact: .moderate)),
            id: UUID(), number: 1, scheme: .standard, by: "a", at: t0)
        #expect(incident.severity == "P3")
        #expect(entries[0].text.contains("proposed by the impact matrix"))
    }

    @Test(
        "bad declarations name their field",
        arguments: [
            (IncidentDeclaration(title: "   ", severity: "P1"), "title"),
            (IncidentDeclaration(title: String(repeating: "x", count: 201), severity: "P1"), "title"),
            (IncidentDeclaration(title: "x", services: ["Bad Name"], severity: "P1"), "services"),
            (IncidentDeclaration(title: "x", severity: "P9"), "severity"),
            (IncidentDeclaration(title: "x", severity: "P1", impact: Impact(usersAffectedPercent: 140)), "impact.usersAffectedPercent"),
            (IncidentDeclaration(title: "x", severity: "P1", impact: Impact(usersAffectedCount: -1)), "impact.usersAffectedCount"),
            (IncidentDeclaration(title: "x", severity: "P1", impactStartedAt: Fixtures.t0.addingTimeInterval(60)), "impactStartedAt"),
        ])
    func invalidDeclarations(declaration: IncidentDeclaration, field: String) {
        let error = #expect(throws: IncidentError.self) {
            try Incident.declare(declaration, id: UUID(), number: 1, scheme: .standard, by: "a", at: Fixtures.t0)
        }
        #expect(error?.field == field)
    }

    @Test("acknowledging stamps the time once and refuses a second time")
    func acknowledge() throws {
        // given
        var incident = try Fixtures.incident()
        // when
        _ = try incident.acknowledge(by: "bob", at: t0.addingTimeInterval(90))
        // then
        #expect(incident.acknowledgedAt == t0.addingTimeInterval(90))
        #expect(throws: IncidentError.alreadyAcknowledged) { try incident.acknowledge(by: "bob", at: t0.addingTimeInterval(100)) }
    }

    @Test("skipping acknowledge still records when someone took the incident")
    func shortcutStampsAcknowledge() throws {
        var incident = try Fixtures.incident()
        _ = try incident.transition(to: .identified, note: "bad deploy", by: "bob", at: t0.addingTimeInterval(30))
        #expect(incident.acknowledgedAt == t0.addingTimeInterval(30))
        #expect(incident.mitigatedAt == nil)
    }

    @Test("monitoring marks the incident mitigated; resolving records resolution and cause")
    func mitigateAndResolve() throws {
        var incident = try Fixtures.incident(in: .identified)
        _ = try incident.transition(to: .monitoring, note: nil, by: "bob", at: t0.addingTimeInterval(600))
        _ = try incident.resolve(resolution: "Rolled back", rootCause: "Bad config", by: "bob", at: t0.addingTimeInterval(900))
        #expect(incident.mitigatedAt == t0.addingTimeInterval(600))
        #expect(incident.resolvedAt == t0.addingTimeInterval(900))
        #expect(incident.resolution == "Rolled back")
        #expect(incident.rootCause == "Bad config")
    }

    @Test("reopening works up to the end of the window and not a second later")
    func reopenWindow() throws {
        // given
        let resolved = try Fixtures.incident(in: .resolved)
        let resolvedAt = try #require(resolved.resolvedAt)
        var atEdge = resolved
        var late = resolved
        // when
        let entries = try atEdge.reopen(
            reason: "errors are back", windowSeconds: 3_600, by: "bob", at: resolvedAt.addingTimeInterval(3_600))
        // then
        #expect(atEdge.status == .investigating)
        #expect(atEdge.resolvedAt == nil)
        #expect(atEdge.reopenCount == 1)
        #expect(entries[0].details["reopened"] == "true")
        #expect(throws: IncidentError.reopenWindowPassed(resolvedAt: resolvedAt, windowSeconds: 3_600)) {
            try late.reopen(reason: "errors are back", windowSeconds: 3_600, by: "bob", at: resolvedAt.addingTimeInterval(3_601))
        }
    }

    @Test("only resolved incidents reopen, and only with a reason")
    func reopenRules() throws {
        var open = try Fixtures.incident(in: .investigating)
        #expect(throws: IncidentError.notResolved(.investigating)) {
            try open.reopen(reason: "x", windowSeconds: 60, by: "b", at: Fixtures.t0)
        }
        var resolved = try Fixtures.incident(in: .resolved)
        let error = #expect(throws: IncidentError.self) {
            try resolved.reopen(reason: " ", windowSeconds: 3_600, by: "b", at: Fixtures.t0.addingTimeInterval(61))
        }
        #expect(error?.field == "reason")
    }
}
