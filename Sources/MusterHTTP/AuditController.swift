import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `GET /api/v1/audit`: the audit log of configuration changes, newest first (admin).
struct AuditController {
    let env: APIEnvironment

    /// One change, with the fields it changed spelled out.
    struct EventView: Encodable, Sendable {
        var event: AuditEvent
        var changedFields: [String]

        func encode(to encoder: any Encoder) throws {
            try event.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(changedFields, forKey: .changedFields)
        }

        private enum Keys: String, CodingKey { case changedFields }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.get("audit") { request, context -> ListEnvelope<EventView> in
            let caller = try context.caller()
            guard caller.role == .admin else {
                throw Problem(
                    status: .forbidden, slug: "forbidden", title: "Not allowed",
                    detail: "The audit log needs the admin role; the token '\(caller.name)' is \(caller.role.rawValue).")
            }
            let query = try Self.query(request.uri.queryParameters)
            let (items, total) = try await env.stores.audit.auditEvents(query)
            return ListEnvelope(
                items: items.map { EventView(event: $0, changedFields: $0.changedFields) }, total: total, limit: query.limit,
                offset: query.offset)
        }
    }

    static let kinds = Set(AuditTarget.kinds.values)

    static func query(_ parameters: Parameters) throws -> AuditQuery {
        var query = AuditQuery()
        if let kind = parameters.get("kind") {
            guard kinds.contains(kind) else {
                throw Problem.invalid("kind", "'kind' is '\(kind.prefix(40))'; use one of: \(kinds.sorted().joined(separator: ", ")).")
            }
            query.kind = kind
        }
        query.subject = parameters.get("subject")
        query.actor = parameters.get("actor")
        for name in ["since", "until"] {
            guard let text = parameters.get(name) else { continue }
            guard let date = APICoding.parseDate(text) else {
                throw Problem.invalid(name, "'\(name)' must be an ISO 8601 date-time such as 2026-11-22T09:30:00Z.")
            }
            if name == "since" { query.since = date } else { query.until = date }
        }
        query.limit = try APICoding.integer(parameters, "limit", range: 1...AuditQuery.maxLimit) ?? 100
        query.offset = try APICoding.offset(parameters)
        return query
    }
}
