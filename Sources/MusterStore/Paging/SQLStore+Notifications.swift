import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    /// The columns a page is read from: the document holds what the page says, the columns its
    /// delivery state, which changes without rewriting the document.
    static let pageColumns: SQLQueryString = "document, status, due_at, attempts, last_error"

    static func decodePage(_ row: any SQLRow) throws -> Page {
        var page = try DocumentCoding.decode(Page.self, from: row.decode(column: "document", as: String.self))
        let status = try row.decode(column: "status", as: String.self)
        guard let parsed = Page.Status(rawValue: status) else { throw StoreError.corrupt("notification status \(status)") }
        page.status = parsed
        page.dueAt = Date(millis: try row.decode(column: "due_at", as: Int64.self))
        page.attempts = try row.decode(column: "attempts", as: Int.self)
        page.lastError = try row.decode(column: "last_error", as: String?.self)
        return page
    }

    public func outboxSummary() async throws -> OutboxSummary {
        try await read { db in
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS pending, MIN(CASE WHEN status = 'pending' THEN due_at END) AS earliest
                FROM notifications WHERE status IN ('pending', 'sending')
                """
            ).first()
            return OutboxSummary(
                pending: try row?.decode(column: "pending", as: Int.self) ?? 0,
                earliestDue: try row?.decode(column: "earliest", as: Int64?.self).map(Date.init(millis:)))
        }
    }

    /// Takes notifications that are due (or whose sender vanished mid-send) for `lease` seconds.
    /// A status page subscriber's messages go one at a time, oldest first: a newer one waits while
    /// an older one is being sent or retried, so updates arrive in the order they were written.
    public func claimNotifications(at now: Date, limit: Int = 50, lease: TimeInterval = 60) async throws -> [Page] {
        let claim = dialect.claimSuffix
        return try await transaction { db in
            let rows = try await db.raw(
                """
                SELECT id, \(Self.pageColumns) FROM notifications n
                WHERE status IN ('pending', 'sending') AND due_at <= \(bind: now.millis)
                    AND (user_id NOT LIKE 'subscriber:%' OR NOT EXISTS (
                        SELECT 1 FROM notifications o WHERE o.user_id = n.user_id AND o.status IN ('pending', 'sending')
                            AND (o.created_at < n.created_at OR (o.created_at = n.created_at AND o.id < n.id))))
                ORDER BY due_at LIMIT \(literal: limit)\(unsafeRaw: claim)
                """
            ).all()
            let leaseEnd = now.addingTimeInterval(lease)
            // A claimed page keeps the time it fell due, for the page lag; the row holds the lease's end.
            let claimed = try rows.map { row in
                var page = try Self.decodePage(row)
                page.status = .sending
                return page
            }
            let ids = claimed.map(\.id.uuidString)
            for start in stride(from: 0, to: ids.count, by: Self.rowsPerStatement) {
                let chunk = Array(ids[start..<min(start + Self.rowsPerStatement, ids.count)])
                try await db.raw(
                    """
                    UPDATE notifications SET status = 'sending', due_at = \(bind: leaseEnd.millis) WHERE id IN (\(binds: chunk))
                    """
                ).run()
            }
            return claimed
        }
    }

    /// Records how a delivery went: sent, retried after `retryAfter`, or given up after `maxAttempts`.
    public func completeNotification(
        _ id: UUID, result: DeliveryResult, at now: Date, retryAfter: TimeInterval, maxAttempts: Int
    ) async throws -> Page {
        guard let page = try await page(id) else { throw StoreError.notFound(what: "notification", key: id.uuidString) }
        return try await completeNotifications(
            [PageResult(page: page, result: result, retryAfter: retryAfter)], at: now, maxAttempts: maxAttempts)[0]
    }

    /// Records many delivery results in one transaction (one commit for a whole batch of pages).
    /// The results carry the pages as claimed, so only their delivery state is written.
    public func completeNotifications(_ results: [PageResult], at now: Date, maxAttempts: Int) async throws -> [Page] {
        let lock = dialect.lockRowSuffix
        return try await transaction { db in
            var pages: [Page] = []
            var entries: [(UUID, TimelineDraft)] = []
            for outcome in results {
                var page = outcome.page
                if let entry = Self.record(outcome, on: &page, at: now, maxAttempts: maxAttempts), let incidentID = page.incidentID {
                    entries.append((incidentID, entry))
                }
                pages.append(page)
            }
            for start in stride(from: 0, to: pages.count, by: Self.rowsPerStatement) {
                let rows = pages[start..<min(start + Self.rowsPerStatement, pages.count)].map { page -> SQLQueryString in
                    """
                    (\(bind: page.id.uuidString), \(bind: page.status.rawValue), \(bind: page.dueAt.millis),
                     \(bind: page.attempts), \(bind: page.lastError))
                    """
                }
                // VALUES columns are named column1… in both SQLite and PostgreSQL.
                try await db.raw(
                    """
                    UPDATE notifications SET status = v.column2, due_at = v.column3, attempts = v.column4, last_error = v.column5
                    FROM (VALUES \(rows.joined(separator: ", "))) AS v WHERE notifications.id = v.column1
                    """
                ).run()
            }
            try await Self.lockIncidents(Set(entries.map(\.0)), lock: lock, on: db)
            try await self.writing(on: db) { Self.appendTimelines(entries, into: $0) }
            return pages
        }
    }

    /// Applies one result to a page; returns the timeline entry it deserves, if any.
    static func record(_ outcome: PageResult, on page: inout Page, at now: Date, maxAttempts: Int) -> TimelineDraft? {
        if case .deferred(let wait) = outcome.result {
            page.status = .pending
            page.dueAt = now.addingTimeInterval(wait)
            return nil
        }
        page.attempts += 1
        let channel = "\(page.contact.kind.rawValue) \(page.contact.address.prefix(80))"
        func givenUp(_ error: String) -> TimelineDraft {
            page.status = .dead
            page.lastError = String(error.prefix(500))
            return TimelineDraft(
                kind: .page, at: now, author: "muster",
                text: "Page to \(page.user) by \(channel) failed \(page.attempts) times; given up: \(error.prefix(200))",
                details: ["user": page.user, "delivery": "dead", "channel": page.contact.kind.rawValue])
        }
        switch outcome.result {
        case .delivered:
            page.status = .sent
            page.lastError = nil
            return TimelineDraft(
                kind: .page, at: now, author: "muster", text: "Page to \(page.user) delivered by \(channel)",
                details: ["user": page.user, "delivery": "sent", "channel": page.contact.kind.rawValue])
        case .impossible(let error):
            return givenUp(error)
        case .deferred:
            return nil
        case .failed(let error):
            if page.attempts >= maxAttempts { return givenUp(error) }
            page.lastError = String(error.prefix(500))
            page.status = .pending
            page.dueAt = now.addingTimeInterval(outcome.retryAfter)
            return nil
        }
    }

    public func page(_ id: UUID) async throws -> Page? {
        try await read { db in
            try await db.raw("SELECT \(Self.pageColumns) FROM notifications WHERE id = \(bind: id.uuidString)").first().map(Self.decodePage)
        }
    }

    public func notifications(of incidentID: UUID) async throws -> [Page] {
        try await read { db in
            try await db.raw(
                """
                SELECT \(Self.pageColumns) FROM notifications WHERE incident_id = \(bind: incidentID.uuidString) ORDER BY created_at, user_id, id
                """
            ).all().map(Self.decodePage)
        }
    }
}
