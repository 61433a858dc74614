import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createPostmortem(_ postmortem: Postmortem) async throws -> Postmortem {
        try await transaction { db in
            if try await db.raw("SELECT id FROM postmortems WHERE incident_id = \(bind: postmortem.incidentID.uuidString)").first() != nil {
                throw StoreError.conflict("\(postmortem.incidentReference) has a post-mortem already; edit that one.")
            }
            try await db.raw(
                """
                INSERT INTO postmortems (id, incident_id, state, owner, due_at, published_at, created_at, updated_at, remind_at, document)
                VALUES (\(bind: postmortem.id.uuidString), \(bind: postmortem.incidentID.uuidString), \(bind: postmortem.state.rawValue),
                    \(bind: postmortem.owner), \(bind: postmortem.dueAt.millis), \(bind: postmortem.publishedAt?.millis),
                    \(bind: postmortem.createdAt.millis), \(bind: postmortem.updatedAt.millis),
                    \(bind: FollowUpRules().nextReminder(for: postmortem)?.millis), \(bind: try DocumentCoding.encode(postmortem)))
                """
            ).run()
            return postmortem
        }
    }

    public func postmortem(ofIncident incidentID: UUID) async throws -> Postmortem? {
        try await read { db in
            try await db.raw("SELECT document FROM postmortems WHERE incident_id = \(bind: incidentID.uuidString)").first()
                .map(Self.decodePostmortem)
        }
    }

    public func updatePostmortem(_ id: UUID, _ change: @escaping @Sendable (inout Postmortem) throws -> Void) async throws -> Postmortem {
        try await transaction { db in
            guard
                var postmortem = try await db.raw(
                    "SELECT document FROM postmortems WHERE id = \(bind: id.uuidString)\(unsafeRaw: self.dialect.lockRowSuffix)"
                ).first().map(Self.decodePostmortem)
            else { throw StoreError.notFound(what: "post-mortem", key: id.uuidString) }
            try change(&postmortem)
            try await Self.savePostmortem(postmortem, on: db)
            return postmortem
        }
    }

    public func postmortems(state: PostmortemState?) async throws -> [Postmortem] {
        try await read { db in
            let filter: SQLQueryString = state.map { "WHERE state = \(bind: $0.rawValue)" } ?? ""
            return try await db.raw("SELECT document FROM postmortems \(filter) ORDER BY created_at DESC, id").all().map(
                Self.decodePostmortem)
        }
    }

    public func createActionItem(_ item: ActionItem) async throws -> ActionItem {
        try await transaction { db in
            try await Self.requireUsers([item.owner], field: "owner", on: db)
            try await db.raw(
                """
                INSERT INTO action_items (
                    id, incident_id, postmortem_id, owner, status, priority, due_at, created_at, updated_at, done_at, remind_at, document)
                VALUES (\(bind: item.id.uuidString), \(bind: item.incidentID?.uuidString), \(bind: item.postmortemID?.uuidString),
                    \(bind: item.owner), \(bind: item.status.rawValue), \(bind: item.priority.rawValue), \(bind: item.dueAt?.millis),
                    \(bind: item.createdAt.millis), \(bind: item.updatedAt.millis), \(bind: item.doneAt?.millis),
                    \(bind: FollowUpRules().nextReminder(for: item)?.millis), \(bind: try DocumentCoding.encode(item)))
                """
            ).run()
            return item
        }
    }

    public func actionItem(_ id: UUID) async throws -> ActionItem? {
        try await read { db in
            try await db.raw("SELECT document FROM action_items WHERE id = \(bind: id.uuidString)").first().map(Self.decodeActionItem)
        }
    }

    public func updateActionItem(_ id: UUID, _ change: @escaping @Sendable (inout ActionItem) throws -> Void) async throws -> ActionItem {
        try await transaction { db in
            guard
                var item = try await db.raw(
                    "SELECT document FROM action_items WHERE id = \(bind: id.uuidString)\(unsafeRaw: self.dialect.lockRowSuffix)"
                ).first().map(Self.decodeActionItem)
            else { throw StoreError.notFound(what: "action item", key: id.uuidString) }
            let owner = item.owner
            try change(&item)
            if item.owner != owner { try await Self.requireUsers([item.owner], field: "owner", on: db) }
            try await Self.saveActionItem(item, on: db)
            return item
        }
    }

    public func actionItems(_ query: ActionItemQuery) async throws -> [ActionItem] {
        try await read { db in
            var conditions: [SQLQueryString] = []
            if let owner = query.owner { conditions.append("owner = \(bind: owner)") }
            if query.openOnly || query.overdueAt != nil { conditions.append("status IN ('open', 'in_progress')") }
            if let now = query.overdueAt { conditions.append("due_at < \(bind: now.millis)") }
            if let incident = query.incidentID { conditions.append("incident_id = \(bind: incident.uuidString)") }
            let filter = conditions.isEmpty ? SQLQueryString("") : "WHERE " + conditions.joined(separator: " AND ")
            return try await db.raw(
                """
                SELECT document FROM action_items \(filter)
                ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, created_at, id
                """
            ).all().map(Self.decodeActionItem)
        }
    }

    public func incidentTimes(from: Date, to: Date, service: String?, severity: String?) async throws -> [IncidentTimes] {
        try await read { db in
            var conditions: [SQLQueryString] = ["i.detected_at >= \(bind: from.millis)", "i.detected_at < \(bind: to.millis)"]
            if let severity { conditions.append("i.severity = \(bind: severity)") }
            if let service { conditions.append("i.id IN (SELECT incident_id FROM incident_services WHERE service = \(bind: service))") }
            func date(_ row: any SQLRow, _ column: String) throws -> Date? {
                try row.decode(column: column, as: Int64?.self).map(Date.init(millis:))
            }
            // One row per incident and service, an incident's rows together; read from the
            // covering index incidents_times, never the documents.
            var times: [IncidentTimes] = []
            var last = ""
            for row in try await db.raw(
                """
                SELECT i.id, i.severity, i.impact_started_at, i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, s.service
                FROM incidents i LEFT JOIN incident_services s ON s.incident_id = i.id
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY i.detected_at, i.id
                """
            ).all() {
                let id = try row.decode(column: "id", as: String.self)
                let service = try row.decode(column: "service", as: String?.self)
                if id == last, let service {
                    times[times.count - 1].services.append(service)
                    continue
                }
                guard let uuid = UUIDText.parse(id) else { throw StoreError.corrupt("incident id \(id)") }
                last = id
                times.append(
                    IncidentTimes(
                        id: uuid, severity: try row.decode(column: "severity", as: String.self), services: service.map { [$0] } ?? [],
                        impactStartedAt: try date(row, "impact_started_at"),
                        detectedAt: Date(millis: try row.decode(column: "detected_at", as: Int64.self)),
                        acknowledgedAt: try date(row, "acknowledged_at"), mitigatedAt: try date(row, "mitigated_at"),
                        resolvedAt: try date(row, "resolved_at")))
            }
            return times
        }
    }

    static func savePostmortem(_ postmortem: Postmortem, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE postmortems SET state = \(bind: postmortem.state.rawValue), owner = \(bind: postmortem.owner),
                due_at = \(bind: postmortem.dueAt.millis), published_at = \(bind: postmortem.publishedAt?.millis),
                updated_at = \(bind: postmortem.updatedAt.millis), remind_at = \(bind: FollowUpRules().nextReminder(for: postmortem)?.millis),
                document = \(bind: try DocumentCoding.encode(postmortem))
            WHERE id = \(bind: postmortem.id.uuidString)
            """
        ).run()
    }

    static func saveActionItem(_ item: ActionItem, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE action_items SET owner = \(bind: item.owner), status = \(bind: item.status.rawValue), priority = \(bind: item.priority.rawValue),
                due_at = \(bind: item.dueAt?.millis), updated_at = \(bind: item.updatedAt.millis), done_at = \(bind: item.doneAt?.millis),
                remind_at = \(bind: FollowUpRules().nextReminder(for: item)?.millis), document = \(bind: try DocumentCoding.encode(item))
            WHERE id = \(bind: item.id.uuidString)
            """
        ).run()
    }

    static func decodePostmortem(_ row: any SQLRow) throws -> Postmortem {
        try DocumentCoding.decode(Postmortem.self, from: row.decode(column: "document", as: String.self))
    }

    static func decodeActionItem(_ row: any SQLRow) throws -> ActionItem {
        try DocumentCoding.decode(ActionItem.self, from: row.decode(column: "document", as: String.self))
    }
}
