import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func runFollowUps(_ rules: FollowUpRules, at now: Date) async throws -> [FollowUp] {
        try await transaction { db, tally in
            var reminders: [FollowUp] = []
            // Claimed: another server skips these rows and finds them moved on once this commits.
            let postmortems = try await db.raw(
                "SELECT document FROM postmortems WHERE remind_at <= \(bind: now.millis) ORDER BY remind_at LIMIT 200\(unsafeRaw: self.dialect.claimSuffix)"
            ).all().map(Self.decodePostmortem)
            for var postmortem in postmortems {
                reminders += rules.reminders(for: &postmortem, at: now)
                try await Self.savePostmortem(postmortem, on: db)
            }
            let items = try await db.raw(
                "SELECT document FROM action_items WHERE remind_at <= \(bind: now.millis) ORDER BY remind_at LIMIT 500\(unsafeRaw: self.dialect.claimSuffix)"
            ).all().map(Self.decodeActionItem)
            for var item in items {
                let commander = try await item.incidentID.asyncFlatMapped { id in
                    try await Self.loadIncident(id.uuidString, lock: "", on: db)?.holders(of: .commander).first
                }
                reminders += rules.reminders(for: &item, commander: commander, at: now)
                try await Self.saveActionItem(item, on: db)
            }
            var pages: [Page] = []
            for reminder in reminders {
                for person in try await Self.activeUsers([reminder.recipient], on: db) {
                    pages += person.contactMethods.map { Page(id: UUID(), followUp: reminder, contact: $0, at: now) }
                }
            }
            try await self.writing(on: db) { writes in
                try Self.insertNotifications(pages, into: writes)
                tally.pagesQueued(pages)
            }
            return reminders
        }
    }
}

extension Optional {
    /// `flatMap` for an async transform.
    fileprivate func asyncFlatMapped<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
