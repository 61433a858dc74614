import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    static func saveNotification(_ notification: Page, isNew: Bool, on db: any SQLDatabase) async throws {
        let document = try DocumentCoding.encode(notification)
        if isNew {
            try await db.raw("""
                INSERT INTO notifications (id, incident_id, user_id, status, due_at, attempts, document)
                VALUES (\(bind: notification.id.uuidString), \(bind: notification.incidentID?.uuidString), \(bind: notification.user),
                        \(bind: notification.status.rawValue), \(bind: notification.dueAt.millis), \(bind: notification.attempts), \(bind: document))
                """).run()
        } else {
            try await db.raw("""
                UPDATE notifications SET status = \(bind: notification.status.rawValue), due_at = \(bind: notification.dueAt.millis),
                    attempts = \(bind: notification.attempts), document = \(bind: document)
                WHERE id = \(bind: notification.id.uuidString)
                """).run()
        }
    }

    /// Takes notifications that are due (or whose sender vanished mid-send) for `lease` seconds.
    public func claimNotifications(at now: Date, limit: Int = 50, lease: TimeInterval = 60) async throws -> [Page] {
        let claim = dialect.claimSuffix
        return try await transaction { db in
            let rows = try await db.raw("""
                SELECT document FROM notifications
                WHERE status IN ('pending', 'sending') AND due_at <= \(bind: now.millis)
                ORDER BY due_at LIMIT \(literal: limit)\(unsafeRaw: claim)
                """).all()
            var claimed: [Page] = []
            for row in rows {
                var notification = try DocumentCoding.decode(Page.self, from: row.decode(column: "document", as: String.self))
                notification.status = .sending
                notification.dueAt = now.addingTimeInterval(lease)
                try await Self.saveNotification(notification, isNew: false, on: db)
                claimed.append(notification)
            }
            return claimed
        }
    }

    /// Records how a delivery went: sent, retried after `retryAfter`, or given up after `maxAttempts`.
    public func completeNotification(
        _ id: UUID, result: DeliveryResult, at now: Date, retryAfter: TimeInterval, maxAttempts: Int
    ) async throws -> Page {
        try await completeNotifications([PageResult(id: id, result: result, retryAfter: retryAfter)], at: now, maxAttempts: maxAttempts)[0]
    }

    /// Records many delivery results in one transaction (one commit for a whole batch of pages).
    public func completeNotifications(_ results: [PageResult], at now: Date, maxAttempts: Int) async throws -> [Page] {
        try await transaction { db in
            var pages: [Page] = []
            for outcome in results {
                guard var page = try await db.raw("SELECT document FROM notifications WHERE id = \(bind: outcome.id.uuidString)").first()
                    .map({ try DocumentCoding.decode(Page.self, from: $0.decode(column: "document", as: String.self)) }) else {
                    throw StoreError.notFound(what: "notification", key: outcome.id.uuidString)
                }
                let entry = Self.record(outcome, on: &page, at: now, maxAttempts: maxAttempts)
                try await Self.saveNotification(page, isNew: false, on: db)
                if let entry, let incidentID = page.incidentID { try await Self.append([entry], to: incidentID, on: db) }
                pages.append(page)
            }
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
            try await db.raw("SELECT document FROM notifications WHERE id = \(bind: id.uuidString)").first()
                .map { try DocumentCoding.decode(Page.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }

    public func notifications(of incidentID: UUID) async throws -> [Page] {
        try await read { db in
            try await db.raw("SELECT document FROM notifications WHERE incident_id = \(bind: incidentID.uuidString) ORDER BY due_at").all()
                .map { try DocumentCoding.decode(Page.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }
}
