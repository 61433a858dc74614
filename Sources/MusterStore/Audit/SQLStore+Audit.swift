import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func recordAudit(_ event: AuditEvent) async throws {
        let before = try event.before.map(Self.jsonText)
        let after = try event.after.map(Self.jsonText)
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO audit_events (id, at, actor, action, kind, subject, before_state, after_state)
                VALUES (\(bind: event.id.uuidString), \(bind: event.at.millis), \(bind: event.actor), \(bind: event.action),
                        \(bind: event.kind), \(bind: event.subject), \(bind: before), \(bind: after))
                """
            ).run()
        }
    }

    public func auditEvents(_ query: AuditQuery) async throws -> (items: [AuditEvent], total: Int) {
        guard (1...AuditQuery.maxLimit).contains(query.limit) else {
            throw StoreError.invalid(field: "limit", reason: "must be between 1 and \(AuditQuery.maxLimit).")
        }
        guard query.offset >= 0 else { throw StoreError.invalid(field: "offset", reason: "must be zero or more.") }
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let kind = query.kind { conditions.append("kind = \(bind: kind)") }
        if let subject = query.subject { conditions.append("subject = \(bind: subject)") }
        if let actor = query.actor { conditions.append("actor = \(bind: actor)") }
        if let since = query.since { conditions.append("at >= \(bind: since.millis)") }
        if let until = query.until { conditions.append("at < \(bind: until.millis)") }
        let filter = conditions.joined(separator: " AND ")
        return try await read { db in
            let total =
                try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE \(filter)").first()?.decode(column: "n", as: Int.self) ?? 0
            let items = try await db.raw(
                """
                SELECT id, at, actor, action, kind, subject, before_state, after_state FROM audit_events WHERE \(filter)
                ORDER BY at DESC, id DESC LIMIT \(literal: query.limit) OFFSET \(literal: query.offset)
                """
            ).all().map(Self.decodeAudit)
            return (items, total)
        }
    }

    private static func jsonText(_ tree: JSONTree) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(tree), as: UTF8.self)
    }

    private static func decodeAudit(_ row: any SQLRow) throws -> AuditEvent {
        guard let id = UUID(uuidString: try row.decode(column: "id", as: String.self)) else { throw StoreError.corrupt("audit event id") }
        func tree(_ column: String) throws -> JSONTree? {
            try row.decode(column: column, as: String?.self).flatMap { JSONTree.parse(Data($0.utf8)) }
        }
        return AuditEvent(
            id: id, at: Date(millis: try row.decode(column: "at", as: Int64.self)), actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self), kind: try row.decode(column: "kind", as: String.self),
            subject: try row.decode(column: "subject", as: String.self), before: try tree("before_state"), after: try tree("after_state"))
    }
}
