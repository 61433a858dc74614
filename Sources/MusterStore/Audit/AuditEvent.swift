import Foundation
import MusterCore

/// One change to Muster's configuration: who made it, when, to what, and the object before and
/// after (secrets left out, webhook URLs masked).
public struct AuditEvent: Codable, Sendable, Equatable {
    public var id: UUID
    public var at: Date
    /// The token name, or `server` for commands run against the database on the server.
    public var actor: String
    /// The request that made the change: method and route, such as `PATCH /api/v1/services/{id}`.
    public var action: String
    /// `service`, `integration`, `user`, `team`, `schedule`, `escalation-policy`, `silence` or `token`.
    public var kind: String
    /// The id of the object changed.
    public var subject: String
    public var before: JSONTree?
    public var after: JSONTree?

    public init(
        id: UUID? = nil, at: Date, actor: String, action: String, kind: String, subject: String, before: JSONTree?,
        after: JSONTree?
    ) {
        self.id = id ?? TimeOrderedID.make(at: at)
        self.at = at
        self.actor = actor
        self.action = action
        self.kind = kind
        self.subject = subject
        self.before = before
        self.after = after
    }

    /// The top-level fields whose values differ between before and after, sorted; every field
    /// of the one there is when the object was created or removed.
    public var changedFields: [String] {
        let old: [String: JSONTree] = if case .object(let fields) = before { fields } else { [:] }
        let new: [String: JSONTree] = if case .object(let fields) = after { fields } else { [:] }
        return Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }
}

/// Filters and page for reading the audit log, newest first; empty filters match everything.
public struct AuditQuery: Sendable, Equatable {
    public var kind: String?
    public var subject: String?
    public var actor: String?
    public var since: Date?
    public var until: Date?
    public var limit: Int
    public var offset: Int

    public static let maxLimit = 500

    public init(
        kind: String? = nil, subject: String? = nil, actor: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 100,
        offset: Int = 0
    ) {
        self.kind = kind
        self.subject = subject
        self.actor = actor
        self.since = since
        self.until = until
        self.limit = limit
        self.offset = offset
    }
}
