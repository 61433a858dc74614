import Foundation

@testable import MusterCore

/// Fixed moments so every test reads the same clock.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func incident(severity: String = "P1", at now: Date = t0) throws -> Incident {
        try Incident.declare(
            IncidentDeclaration(title: "Checkout failing", services: ["checkout"], severity: severity),
            id: UUID(), number: 7, scheme: .standard, by: "alice", at: now
        ).0
    }

    /// An incident walked to `status` along the usual path.
    static func incident(in status: IncidentStatus) throws -> Incident {
        var incident = try incident()
        let path: [IncidentStatus] = [.acknowledged, .investigating, .identified, .monitoring, .resolved, .closed]
        for step in path where step <= status {
            _ = try incident.transition(to: step, note: nil, by: "alice", at: t0.addingTimeInterval(60))
        }
        return incident
    }
}
