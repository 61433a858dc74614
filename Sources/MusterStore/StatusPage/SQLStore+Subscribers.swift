import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func subscribe(_ subscriber: Subscriber, confirmation: StatusNotice?) async throws -> Subscriber {
        try await transaction { db in
            try await Self.requireComponents(subscriber.components, on: db)
            let existing = try await db.raw(
                """
                SELECT document FROM status_subscribers WHERE kind = \(bind: subscriber.kind.rawValue) AND address = \(bind: subscriber.address)
                \(unsafeRaw: self.dialect.lockRowSuffix)
                """
            ).first().map(Self.decodeSubscriber)
            var kept = existing ?? subscriber
            if existing == nil {
                try await db.raw(
                    """
                    INSERT INTO status_subscribers (id, kind, address, created_at, confirmed_at, document)
                    VALUES (\(bind: subscriber.id.uuidString), \(bind: subscriber.kind.rawValue), \(bind: subscriber.address),
                        \(bind: subscriber.createdAt.millis), \(bind: subscriber.confirmedAt?.millis), \(bind: try DocumentCoding.encode(subscriber)))
                    """
                ).run()
            } else if kept.confirmedAt == nil {
                // Asked again before confirming: the newer choice of components holds.
                kept.components = subscriber.components
                try await Self.saveSubscriber(kept, on: db)
            }
            // A confirmed address is not asked again; one still pending gets a fresh request.
            if let confirmation, kept.confirmedAt == nil {
                let page = Page(id: UUID(), notice: confirmation, subscriber: kept, at: subscriber.createdAt)
                try await self.writing(on: db) { writes in try Self.insertNotifications([page], into: writes) }
            }
            return kept
        }
    }

    public func confirmSubscriber(_ id: UUID, at now: Date) async throws -> Subscriber {
        try await transaction { db in
            guard var subscriber = try await Self.loadSubscriber(id, lock: self.dialect.lockRowSuffix, on: db) else {
                throw StoreError.notFound(what: "subscriber", key: id.uuidString)
            }
            if subscriber.confirmedAt == nil {
                subscriber.confirmedAt = now
                try await Self.saveSubscriber(subscriber, on: db)
            }
            return subscriber
        }
    }

    public func subscribers() async throws -> [Subscriber] {
        try await read { db in
            try await db.raw("SELECT document FROM status_subscribers ORDER BY created_at, id").all().map(Self.decodeSubscriber)
        }
    }

    public func subscriber(_ id: UUID) async throws -> Subscriber? {
        try await read { db in try await Self.loadSubscriber(id, lock: "", on: db) }
    }

    public func removeSubscriber(_ id: UUID) async throws {
        try await transaction { db in
            guard try await Self.loadSubscriber(id, lock: self.dialect.lockRowSuffix, on: db) != nil else {
                throw StoreError.notFound(what: "subscriber", key: id.uuidString)
            }
            try await db.raw("DELETE FROM status_subscribers WHERE id = \(bind: id.uuidString)").run()
            // Nothing more reaches an address that left, not even what was already queued.
            try await db.raw(
                """
                DELETE FROM notifications WHERE user_id = \(bind: Page.subscriberPrefix + id.uuidString.lowercased()) AND status = 'pending'
                """
            ).run()
        }
    }

    public func subscriberDeliveries(_ id: UUID, limit: Int) async throws -> [Page] {
        try await read { db in
            try await db.raw(
                """
                SELECT \(Self.pageColumns) FROM notifications
                WHERE user_id = \(bind: Page.subscriberPrefix + id.uuidString.lowercased()) ORDER BY created_at DESC LIMIT \(bind: limit)
                """
            ).all().map(Self.decodePage)
        }
    }

    public func runSubscriberNotices(
        changedSince: Date, at now: Date, render: @escaping @Sendable (Incident, [TimelineEntry], Set<UUID>) -> [StatusNotice]
    ) async throws -> Int {
        let grown = try await read { db in
            try await db.raw(
                """
                SELECT i.id, COALESCE(c.through, 0) AS through,
                    (SELECT MAX(t.position) FROM timeline_entries t WHERE t.incident_id = i.id AND t.kind = 'update_published') AS last
                FROM incidents i LEFT JOIN subscriber_cursors c ON c.incident_id = i.id
                WHERE i.page_updated_at >= \(bind: changedSince.millis) ORDER BY i.id
                """
            ).all().compactMap { row -> String? in
                let last = try row.decodeNil(column: "last") ? 0 : row.decode(column: "last", as: Int64.self)
                return last > (try row.decode(column: "through", as: Int64.self)) ? try row.decode(column: "id", as: String.self) : nil
            }
        }
        guard !grown.isEmpty else { return 0 }
        return try await transaction { db in
            var start = SQLValueRows(width: 2, for: self.dialect)
            for id in grown { start.append(id, Int64(0)) }
            try await db.raw("INSERT INTO subscriber_cursors (incident_id, through) \(start) ON CONFLICT (incident_id) DO NOTHING").run()
            // Claimed: another server skips these rows, and finds them moved on once this commits.
            let cursors = try await db.raw(
                """
                SELECT incident_id, through FROM subscriber_cursors WHERE incident_id IN (\(binds: grown))
                ORDER BY incident_id\(unsafeRaw: self.dialect.claimSuffix)
                """
            ).all()
            var notices: [StatusNotice] = []
            for cursor in cursors {
                let id = try cursor.decode(column: "incident_id", as: String.self)
                let through = try cursor.decode(column: "through", as: Int64.self)
                guard let incident = try await Self.loadIncident(id, lock: "", on: db) else { continue }
                let rows = try await db.raw(
                    """
                    SELECT id, incident_id, kind, at, recorded_at, author, body, details, position FROM timeline_entries
                    WHERE incident_id = \(bind: id) AND kind IN ('update_published', 'severity_change') ORDER BY at, position
                    """
                ).all()
                let entries = try rows.map(Self.decodeEntry)
                let positions = try rows.map { try $0.decode(column: "position", as: Int64.self) }
                guard let last = positions.max(), last > through else { continue }
                let new = Set(zip(entries, positions).filter { $0.1 > through && $0.0.kind == .updatePublished }.map(\.0.id))
                notices += render(incident, entries, new)
                try await db.raw("UPDATE subscriber_cursors SET through = \(bind: last) WHERE incident_id = \(bind: id)").run()
            }
            return try await self.queueNotices(notices, at: now, on: db)
        }
    }

    public func runMaintenanceNotices(
        changedSince: Date, at now: Date, render: @escaping @Sendable (Maintenance, MaintenanceUpdate) -> StatusNotice?
    ) async throws
        -> Int
    {
        // Asked every round by every server: a write transaction only when a message is untold.
        let untold = try await read { db in
            try await db.raw("SELECT document, notified FROM maintenances WHERE updated_at >= \(bind: changedSince.millis)").all()
                .contains { row in
                    (try Self.decodeMaintenance(row)).updates.count > Int(try row.decode(column: "notified", as: Int64.self))
                }
        }
        guard untold else { return 0 }
        return try await transaction { db in
            let rows = try await db.raw(
                """
                SELECT document, notified FROM maintenances WHERE updated_at >= \(bind: changedSince.millis)
                ORDER BY starts_at\(unsafeRaw: self.dialect.claimSuffix)
                """
            ).all()
            var notices: [StatusNotice] = []
            for row in rows {
                let maintenance = try Self.decodeMaintenance(row)
                let notified = Int(try row.decode(column: "notified", as: Int64.self))
                guard maintenance.updates.count > notified else { continue }
                notices += maintenance.updates[notified...].compactMap { render(maintenance, $0) }
                try await db.raw(
                    "UPDATE maintenances SET notified = \(bind: maintenance.updates.count) WHERE id = \(bind: maintenance.id.uuidString)"
                ).run()
            }
            return try await self.queueNotices(notices, at: now, on: db)
        }
    }

    /// Queues each notice for every confirmed subscriber it reaches, inside the caller's transaction.
    func queueNotices(_ notices: [StatusNotice], at now: Date, on db: any SQLDatabase) async throws -> Int {
        guard !notices.isEmpty else { return 0 }
        let subscribers = try await db.raw("SELECT document FROM status_subscribers WHERE confirmed_at IS NOT NULL ORDER BY created_at, id")
            .all().map(Self.decodeSubscriber)
        var pages: [Page] = []
        for notice in notices {
            for subscriber in subscribers where notice.reaches(subscriber) {
                pages.append(Page(id: UUID(), notice: notice, subscriber: subscriber, at: now))
            }
        }
        guard !pages.isEmpty else { return 0 }
        try await writing(on: db) { writes in try Self.insertNotifications(pages, into: writes) }
        return pages.count
    }

    static func loadSubscriber(_ id: UUID, lock: String, on db: any SQLDatabase) async throws -> Subscriber? {
        try await db.raw("SELECT document FROM status_subscribers WHERE id = \(bind: id.uuidString)\(unsafeRaw: lock)").first()
            .map(decodeSubscriber)
    }

    static func saveSubscriber(_ subscriber: Subscriber, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE status_subscribers SET confirmed_at = \(bind: subscriber.confirmedAt?.millis), document = \(bind: try DocumentCoding.encode(subscriber))
            WHERE id = \(bind: subscriber.id.uuidString)
            """
        ).run()
    }

    static func decodeSubscriber(_ row: any SQLRow) throws -> Subscriber {
        try DocumentCoding.decode(Subscriber.self, from: row.decode(column: "document", as: String.self))
    }
}
