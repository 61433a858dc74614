import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func recordComponentStates(
        _ states: [String: ComponentState], at now: Date,
        notice: (@Sendable (String, ComponentStatus, ComponentState) -> StatusNotice?)? = nil
    ) async throws -> [(component: String, from: ComponentStatus, to: ComponentState)] {
        // Asked every round by every server: a write transaction only when a status changed.
        let recorded = try await read { db in
            try await db.raw("SELECT component_id, status, started_at, ended_at, reason FROM status_intervals WHERE ended_at IS NULL")
                .all().map(Self.decodeInterval)
        }
        let current = Dictionary(recorded.map { ($0.componentID, $0.status) }, uniquingKeysWith: { first, _ in first })
        guard states.contains(where: { $0.value.status != current[$0.key] ?? .operational }) else { return [] }
        return try await transaction { db in
            // Servers recording at once take turns: the second sees what the first wrote.
            _ = try await db.raw("SELECT id FROM status_components\(unsafeRaw: self.dialect.lockRowSuffix)").all()
            var open: [String: StatusInterval] = [:]
            for interval in try await db.raw(
                "SELECT component_id, status, started_at, ended_at, reason FROM status_intervals WHERE ended_at IS NULL"
            ).all().map(Self.decodeInterval) {
                open[interval.componentID] = interval
            }
            var changes: [(component: String, from: ComponentStatus, to: ComponentState)] = []
            for (id, state) in states.sorted(by: { $0.key < $1.key }) {
                let current = open[id]
                let previous = current?.status ?? .operational
                guard state.status != previous else { continue }
                // The change happened when its cause began, if that is known and later than the last change.
                var at = min(state.status == .operational ? now : (state.since ?? now), now)
                if let current { at = max(at, current.startedAt.addingTimeInterval(0.001)) }
                if let current {
                    try await db.raw(
                        """
                        UPDATE status_intervals SET ended_at = \(bind: at.millis)
                        WHERE component_id = \(bind: id) AND started_at = \(bind: current.startedAt.millis)
                        """
                    ).run()
                }
                if state.status != .operational {
                    try await db.raw(
                        """
                        INSERT INTO status_intervals (component_id, status, started_at, ended_at, reason)
                        VALUES (\(bind: id), \(bind: state.status.rawValue), \(bind: at.millis), NULL, \(bind: state.reason))
                        """
                    ).run()
                }
                changes.append((id, previous, state))
            }
            if !changes.isEmpty {
                try await Self.statusPageChanged(on: db)
                if let notice { _ = try await self.queueNotices(changes.compactMap { notice($0.0, $0.1, $0.2) }, at: now, on: db) }
            }
            return changes
        }
    }

    public func statusIntervals(since: Date) async throws -> [StatusInterval] {
        try await read { db in
            try await db.raw(
                """
                SELECT component_id, status, started_at, ended_at, reason FROM status_intervals
                WHERE ended_at IS NULL OR ended_at >= \(bind: since.millis) ORDER BY component_id, started_at
                """
            ).all().map(Self.decodeInterval)
        }
    }

    static func decodeInterval(_ row: any SQLRow) throws -> StatusInterval {
        let name = try row.decode(column: "status", as: String.self)
        guard let status = ComponentStatus(rawValue: name) else { throw StoreError.corrupt("status interval with status \(name)") }
        return StatusInterval(
            componentID: try row.decode(column: "component_id", as: String.self), status: status,
            startedAt: Date(millis: try row.decode(column: "started_at", as: Int64.self)),
            endedAt: try row.decode(column: "ended_at", as: Int64?.self).map(Date.init(millis:)),
            reason: try row.decode(column: "reason", as: String?.self))
    }

    public func publicIncidents(resolvedSince: Date, rollup: StatusRollup) async throws -> [PublicIncident] {
        try await read { db in
            let incidents = try await db.raw(
                """
                SELECT document FROM incidents
                WHERE page_updated_at IS NOT NULL AND (resolved_at IS NULL OR resolved_at >= \(bind: resolvedSince.millis))
                ORDER BY detected_at DESC LIMIT 1000
                """
            ).all().map { try DocumentCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self)) }
            guard !incidents.isEmpty else { return [] }
            var updates: [UUID: [TimelineEntry]] = [:]
            for start in stride(from: 0, to: incidents.count, by: 200) {
                let ids = incidents[start..<min(start + 200, incidents.count)].map(\.id.uuidString)
                for entry in try await db.raw(
                    """
                    SELECT id, incident_id, kind, at, recorded_at, author, body, details FROM timeline_entries
                    WHERE kind IN ('update_published', 'severity_change') AND incident_id IN (\(binds: ids)) ORDER BY at, position
                    """
                ).all().map(Self.decodeEntry) {
                    updates[entry.incidentID, default: []].append(entry)
                }
            }
            return incidents.compactMap { PublicIncident($0, timeline: updates[$0.id] ?? [], rollup: rollup) }
                .sorted { $0.startedAt > $1.startedAt }
        }
    }

    public func statusPageStamp() async throws -> String {
        try await read { db in
            let row = try await db.raw("SELECT value FROM counters WHERE name = \(bind: Self.statusPageCounter)").first()
            return String(try row?.decode(column: "value", as: Int64.self) ?? 0)
        }
    }
}
