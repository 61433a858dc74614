import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func runDueUpdateReminders(scheme: SeverityScheme, grace: Double, at now: Date) async throws -> Int {
        // Which open incidents owe an update now, read without locks; only those are claimed.
        let open = try await read { db in
            try await db.raw("SELECT document FROM incidents WHERE status NOT IN ('resolved', 'closed')").all()
                .map { try DocumentCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self)) }
        }
        let due = open.filter { incident in
            guard let level = try? scheme.level(named: incident.severity) else { return false }
            var copy = incident
            return !copy.dueUpdateReminders(severity: level, graceFraction: grace, responders: [], at: now).reminders.isEmpty
        }.map(\.id.uuidString)
        guard !due.isEmpty else { return 0 }
        let claim = dialect.claimSuffix
        return try await transaction { db, tally in
            // Claimed: another server skips these rows, and finds them marked once this commits.
            let rows = try await db.raw("SELECT document FROM incidents WHERE id IN (\(binds: due)) ORDER BY id\(unsafeRaw: claim)").all()
            var pages: [Page] = []
            var escalations: [Escalation] = []
            var changed: [(Incident, [TimelineDraft])] = []
            var sent = 0
            for row in rows {
                var incident = try DocumentCoding.decode(Incident.self, from: row.decode(column: "document", as: String.self))
                guard let level = try? scheme.level(named: incident.severity) else { continue }
                let paged = try await db.raw(
                    """
                    SELECT DISTINCT user_id FROM notifications WHERE incident_id = \(bind: incident.id.uuidString)
                    AND user_id NOT LIKE \(bind: Page.groupPrefix + "%") ORDER BY user_id
                    """
                ).all().map { try $0.decode(column: "user_id", as: String.self) }
                let (reminders, drafts) = incident.dueUpdateReminders(severity: level, graceFraction: grace, responders: paged, at: now)
                guard !reminders.isEmpty else { continue }
                for reminder in reminders {
                    sent += 1
                    let people = try await Self.activeUsers(reminder.recipients, on: db)
                    for person in people {
                        pages += person.contactMethods.map { contact in
                            var page = Page(id: UUID(), incident: incident, user: person.id, contact: contact, level: 0, at: now)
                            page.reminder = reminder.text
                            return page
                        }
                    }
                }
                // An overdue update moves the escalation on, acknowledged or not, as escalating by
                // hand does; once, when both audiences are overdue together.
                if reminders.contains(where: { $0.kind == .overdue }),
                    var escalation = try await Self.loadEscalation(of: incident.id, lock: "", on: db)
                {
                    escalation.escalateNow(at: now)
                    escalations.append(escalation)
                }
                changed.append((incident, drafts))
            }
            try await self.writing(on: db) { writes in
                try Self.insertNotifications(pages, into: writes)
                tally.pagesQueued(pages)
                try Self.upsertEscalations(escalations, into: writes)
                for (incident, drafts) in changed { try Self.save(incident, appending: drafts, into: writes) }
            }
            return sent
        }
    }

    /// The active people among `ids`, in the order given.
    static func activeUsers(_ ids: [String], on db: any SQLDatabase) async throws -> [User] {
        guard !ids.isEmpty else { return [] }
        let users = try await db.raw("SELECT document FROM users WHERE id IN (\(binds: ids))").all()
            .map { try DocumentCoding.decode(User.self, from: $0.decode(column: "document", as: String.self)) }
        let byID = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }.filter(\.isActive)
    }
}
