import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func rotateCalendarFeed(schedule id: String, by author: String, at now: Date) async throws -> (CalendarFeed, String) {
        let secret = CalendarFeed.newSecret()
        let feed = CalendarFeed(schedule: id, prefix: String(secret.prefix(10)), createdAt: now, createdBy: author)
        let lock = dialect.lockRowSuffix
        try await transaction { db in
            guard try await db.raw("SELECT id FROM schedules WHERE id = \(bind: id)\(unsafeRaw: lock)").first() != nil else {
                throw StoreError.notFound(what: "schedule", key: id)
            }
            try await db.raw("DELETE FROM calendar_feeds WHERE schedule_id = \(bind: id)").run()
            try await db.raw(
                """
                INSERT INTO calendar_feeds (schedule_id, secret_hash, prefix, created_at, created_by)
                VALUES (\(bind: id), \(bind: TokenSecret.hash(secret)), \(bind: feed.prefix), \(bind: now.millis), \(bind: author))
                """
            ).run()
        }
        return (feed, secret)
    }

    public func calendarFeed(schedule id: String) async throws -> CalendarFeed? {
        try await read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.feedColumns) FROM calendar_feeds WHERE schedule_id = \(bind: id)").first()
                .map(Self.decodeFeed)
        }
    }

    public func revokeCalendarFeed(schedule id: String) async throws -> CalendarFeed {
        try await transaction { db in
            guard
                let feed = try await db.raw("SELECT \(unsafeRaw: Self.feedColumns) FROM calendar_feeds WHERE schedule_id = \(bind: id)")
                    .first().map(Self.decodeFeed)
            else { throw StoreError.notFound(what: "calendar feed of schedule", key: id) }
            try await db.raw("DELETE FROM calendar_feeds WHERE schedule_id = \(bind: id)").run()
            return feed
        }
    }

    public func schedule(id: String, feedSecret secret: String) async throws -> ScheduleRecord? {
        guard secret.hasPrefix("cal_"), secret.count < 200 else { return nil }
        let hash = TokenSecret.hash(secret)
        guard
            try await read({ db in
                try await db.raw("SELECT schedule_id FROM calendar_feeds WHERE schedule_id = \(bind: id) AND secret_hash = \(bind: hash)")
                    .first()
            }) != nil
        else { return nil }
        return try await schedule(id)
    }

    static let feedColumns = "schedule_id, prefix, created_at, created_by"

    static func decodeFeed(_ row: any SQLRow) throws -> CalendarFeed {
        CalendarFeed(
            schedule: try row.decode(column: "schedule_id", as: String.self), prefix: try row.decode(column: "prefix", as: String.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: String.self))
    }
}
