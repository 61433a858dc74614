import Foundation
import Testing

@testable import MusterCore

@Suite("Status transitions")
struct StatusTransitionTests {
    /// The whole table, written out independently of the implementation.
    static let expected: [IncidentStatus: Set<IncidentStatus>] = [
        .triggered: [.acknowledged, .investigating, .identified, .monitoring, .resolved],
        .acknowledged: [.investigating, .identified, .monitoring, .resolved],
        .investigating: [.identified, .monitoring, .resolved],
        .identified: [.investigating, .monitoring, .resolved],
        .monitoring: [.investigating, .identified, .resolved],
        .resolved: [.closed],
        .closed: [],
    ]

    @Test("every pair of statuses is allowed or refused as the table says", arguments: IncidentStatus.allCases)
    func table(from: IncidentStatus) throws {
        for to in IncidentStatus.allCases {
            // given
            var incident = try Fixtures.incident(in: from)
            let allowed = Self.expected[from]!.contains(to)
            // when
            let result = Result { () throws(IncidentError) in
                try incident.transition(to: to, note: nil, by: "bob", at: Fixtures.t0.addingTimeInterval(120))
            }
            // then
            switch result {
            case .success(let entries):
                #expect(allowed, "\(from) → \(to) should be refused")
                #expect(incident.status == to)
                #expect(entries.count == 1)
                #expect(entries[0].kind == .statusChange)
                #expect(entries[0].details == ["from": from.rawValue, "to": to.rawValue])
            case .failure(let error):
                #expect(!allowed, "\(from) → \(to) should be allowed, got \(error)")
                #expect(incident.status == from)
            }
        }
    }

    @Test("a refused move says what is possible instead")
    func refusalMessage() throws {
        // given
        var incident = try Fixtures.incident(in: .resolved)
        // when
        let error = #expect(throws: IncidentError.self) {
            try incident.transition(to: .investigating, note: nil, by: "bob", at: Fixtures.t0)
        }
        // then
        #expect(error == .invalidTransition(from: .resolved, to: .investigating))
        #expect(
            error?.message
                == "An incident that is resolved cannot move to investigating; from resolved it can move to closed. If the problem is back, reopen the incident instead."
        )
    }

    @Test("a closed incident refuses every change")
    func closedIsFinal() throws {
        // given
        var incident = try Fixtures.incident(in: .closed)
        // then
        #expect(throws: IncidentError.closed) { try incident.transition(to: .resolved, note: nil, by: "bob", at: Fixtures.t0) }
        #expect(throws: IncidentError.closed) { try incident.assign(.scribe, to: "carol", by: "bob", at: Fixtures.t0) }
        #expect(throws: IncidentError.closed) {
            try incident.changeSeverity(to: "P2", reason: "late", scheme: .standard, by: "bob", at: Fixtures.t0)
        }
        #expect(throws: IncidentError.closed) {
            _ = try incident.record(kind: .note, text: "x", hypothesis: nil, result: nil, by: "bob", at: Fixtures.t0)
        }
    }

    @Test("moving to the current status is refused")
    func sameStatus() throws {
        var incident = try Fixtures.incident(in: .investigating)
        #expect(throws: IncidentError.alreadyInStatus(.investigating)) {
            try incident.transition(to: .investigating, note: nil, by: "bob", at: Fixtures.t0)
        }
    }
}
