import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func editSchedule(_ id: String, name: String?, timeZone: String?, at now: Date) async throws -> ScheduleRecord {
        try await updateDocument(ScheduleRecord.self, id: id, in: .schedules) { record in
            guard name != nil || timeZone != nil else { throw StoreError.invalid(field: "name", reason: "or timeZone must be given.") }
            if let name {
                let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
                try TextRules.require(trimmed, field: "name", max: 120)
                record.name = trimmed
            }
            if let timeZone {
                try TextRules.timeZone(timeZone, field: "timeZone")
                record.timeZone = timeZone
            }
            record.updatedAt = now
        }
    }

    public func deleteSchedule(_ id: String) async throws {
        try await deleteDocument(id, in: .schedules) { db in
            var references = References()
            try await Self.policies(naming: .schedule(id), on: db, into: &references)
            try await Self.runningEscalations(naming: .schedule(id), on: db, into: &references)
            // Its feed goes with it; were it still referred to, the transaction is rolled back.
            try await db.raw("DELETE FROM calendar_feeds WHERE schedule_id = \(bind: id)").run()
            return references
        }
    }

    public func changeOverride(
        _ overrideID: UUID, of schedule: String, user: String?, start: Date?, end: Date?, at now: Date
    ) async throws -> ScheduleRecord {
        try await updateSchedule(schedule, at: now) { schedule in
            let index = try Self.overrideIndex(overrideID, in: schedule)
            schedule.overrides[index] = try schedule.overrides[index].changed(user: user, start: start, end: end)
        }
    }

    public func removeOverride(_ overrideID: UUID, of schedule: String, at now: Date) async throws -> ScheduleRecord {
        try await updateSchedule(schedule, at: now) { schedule in
            schedule.overrides.remove(at: try Self.overrideIndex(overrideID, in: schedule))
        }
    }

    public func replaceEscalationPolicy(_ policy: EscalationPolicy) async throws -> EscalationPolicy {
        try await updateDocument(
            EscalationPolicy.self, id: policy.id, in: .policies,
            validate: { policy, db in
                try await Self.requireTargets(policy, on: db)
            }
        ) { current in
            current = try current.replaced(by: policy)
        }
    }

    public func deleteEscalationPolicy(_ id: String) async throws {
        try await deleteDocument(id, in: .policies) { db in
            var references = References()
            let services = try await db.raw("SELECT id FROM services WHERE escalation_policy = \(bind: id) ORDER BY id LIMIT 3").all()
                .map { try $0.decode(column: "id", as: String.self) }
            references.add("service", count: try await Self.count("services", "escalation_policy", id, on: db), names: services)
            return references
        }
    }

    public func updateTeam(_ id: String, name: String?, members: [String]?) async throws -> Team {
        try await updateDocument(
            Team.self, id: id, in: .teams,
            validate: { team, db in
                try await Self.requireUsers(team.members, field: "members", on: db)
            }
        ) { team in
            guard name != nil || members != nil else { throw StoreError.invalid(field: "name", reason: "or members must be given.") }
            team = try Team(id: team.id, name: name ?? team.name, members: members ?? team.members, createdAt: team.createdAt)
        }
    }

    public func deleteTeam(_ id: String) async throws {
        try await deleteDocument(id, in: .teams) { db in
            var references = References()
            try await Self.policies(naming: .team(id), on: db, into: &references)
            try await Self.runningEscalations(naming: .team(id), on: db, into: &references)
            return references
        }
    }

    /// Adds the escalation policies whose levels name `target`.
    private static func policies(naming target: EscalationTarget, on db: any SQLDatabase, into references: inout References) async throws {
        let naming = try await allDocuments(EscalationPolicy.self, in: .policies, on: db)
            .filter { $0.levels.contains { $0.targets.contains(target) } }.map(\.id)
        references.add("escalation policy", count: naming.count, names: Array(naming.prefix(3)))
    }

    /// Adds the incidents whose running escalation (a snapshot of its policy) still names `target`.
    private static func runningEscalations(naming target: EscalationTarget, on db: any SQLDatabase, into references: inout References)
        async throws
    {
        let running = try await db.raw(
            """
            SELECT i.reference, e.document FROM escalations e JOIN incidents i ON i.id = e.incident_id
            WHERE e.due_at IS NOT NULL ORDER BY i.detected_at DESC
            """
        ).all()
        var naming: [String] = []
        for row in running {
            let escalation = try DocumentCoding.decode(Escalation.self, from: row.decode(column: "document", as: String.self))
            if escalation.policy.levels.contains(where: { $0.targets.contains(target) }) {
                naming.append(try row.decode(column: "reference", as: String.self))
            }
        }
        references.add("running escalation", count: naming.count, names: Array(naming.prefix(3)))
    }

    private static func overrideIndex(_ id: UUID, in schedule: Schedule) throws -> Int {
        guard let index = schedule.overrides.firstIndex(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "override", key: id.uuidString)
        }
        return index
    }
}
