import Foundation
import MusterTestSupport
import SQLKit

@testable import MusterCore
@testable import MusterStore

/// Rows written the way earlier schema versions wrote them, for upgrade tests: the store's own
/// code writes today's columns, which an old schema lacks.
enum LegacyRows {
    /// An incident record as the core builds one, with the given lifecycle times.
    static func incident(
        number: Int, services: [String] = [], status: IncidentStatus = .triggered, detectedAt: Date,
        impactStartedAt: Date? = nil, acknowledgedAt: Date? = nil, mitigatedAt: Date? = nil, resolvedAt: Date? = nil,
        closedAt: Date? = nil
    ) -> Incident {
        Incident(
            id: UUID(), number: number, reference: Incident.reference(year: Incident.year(of: detectedAt), number: number),
            title: "Incident \(number)", summary: "", services: services, severity: "P2", status: status, impact: Impact(),
            roles: [], declaredBy: "alice", impactStartedAt: impactStartedAt, detectedAt: detectedAt, acknowledgedAt: acknowledgedAt,
            mitigatedAt: mitigatedAt, resolvedAt: resolvedAt, closedAt: closedAt, rootCause: nil, resolution: nil, reopenCount: 0,
            updatedAt: closedAt ?? resolvedAt ?? detectedAt, groupKey: nil)
    }

    /// Inserts an incident, its service links and its counter as schema versions 1 to 5 did.
    @discardableResult
    static func insertIncident(_ incident: Incident, into url: String) async throws -> Incident {
        try await TestBackend.execute(
            url,
            """
            INSERT INTO incidents (id, year, number, reference, status, severity, detected_at, updated_at, document, group_key)
            VALUES (\(bind: incident.id.uuidString), \(bind: incident.numberingYear), \(bind: incident.number),
                \(bind: incident.reference), \(bind: incident.status.rawValue), \(bind: incident.severity),
                \(bind: incident.detectedAt.millis), \(bind: incident.updatedAt.millis), \(bind: try IncidentDocument.encode(incident)),
                \(bind: incident.groupKey))
            """)
        for service in incident.services {
            try await TestBackend.execute(
                url,
                """
                INSERT INTO incident_services (incident_id, service) VALUES (\(bind: incident.id.uuidString), \(bind: service))
                """)
        }
        return incident
    }

    /// Inserts a timeline entry as schema versions 1 to 5 did (no `recorded_at`).
    static func insertEntry(_ draft: TimelineDraft, position: Int, of incident: Incident, into url: String) async throws {
        try await TestBackend.execute(
            url,
            """
            INSERT INTO timeline_entries (id, incident_id, position, kind, at, author, body, details)
            VALUES (\(bind: UUID().uuidString), \(bind: incident.id.uuidString), \(bind: position), \(bind: draft.kind.rawValue),
                \(bind: draft.at.millis), \(bind: draft.author), \(bind: draft.text), '{}')
            """)
    }
}
