import Foundation
import MusterCore
import SQLKit

/// Copies each incident's lifecycle times out of its JSON document into the columns that
/// migration 6 added, so lists can filter, sort and aggregate by them.
enum LifecycleBackfill {
    static let pageSize = 500

    @Sendable static func run(on db: any SQLDatabase) async throws {
        var after = ""
        while true {
            let rows = try await db.raw(
                """
                SELECT id, document FROM incidents WHERE id > \(bind: after) ORDER BY id LIMIT \(literal: pageSize)
                """
            ).all()
            for row in rows {
                let incident = try DocumentCoding.decode(Incident.self, from: row.decode(column: "document", as: String.self))
                try await db.raw(
                    """
                    UPDATE incidents SET impact_started_at = \(bind: incident.impactStartedAt?.millis),
                        detected_at = \(bind: incident.detectedAt.millis), acknowledged_at = \(bind: incident.acknowledgedAt?.millis),
                        mitigated_at = \(bind: incident.mitigatedAt?.millis), resolved_at = \(bind: incident.resolvedAt?.millis),
                        closed_at = \(bind: incident.closedAt?.millis)
                    WHERE id = \(bind: incident.id.uuidString)
                    """
                ).run()
            }
            guard rows.count == pageSize, let last = rows.last else { return }
            after = try last.decode(column: "id", as: String.self)
        }
    }
}
