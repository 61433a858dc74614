import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createEscalationPolicy(_ policy: EscalationPolicy, at now: Date) async throws -> EscalationPolicy {
        try await insertDocument(policy, id: policy.id, createdAt: now, in: .policies) { policy, db in
            try await Self.requireTargets(policy, on: db)
        }
    }

    public func escalationPolicies() async throws -> [EscalationPolicy] { try await documents(EscalationPolicy.self, in: .policies) }

    public func escalationPolicy(_ id: String) async throws -> EscalationPolicy? {
        try await document(EscalationPolicy.self, id: id, in: .policies)
    }

    public func escalation(of incidentID: UUID) async throws -> Escalation? {
        try await read { db in
            try await db.raw("SELECT document FROM escalations WHERE incident_id = \(bind: incidentID.uuidString)").first()
                .map { try DocumentCoding.decode(Escalation.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }

    /// One engine cycle: pages every level that is due, in one transaction; returns how many levels fired.
    /// Rows are claimed with SKIP LOCKED (the incident's row too), so several processes never page
    /// the same level twice, and an incident being acknowledged right now waits for the next cycle.
    public func runDueEscalations(at now: Date, limit: Int = 100) async throws -> Int {
        let claim = dialect.claimSuffix
        return try await transaction { db, tally in
            let rows = try await db.raw(
                """
                SELECT e.document AS escalation, i.document AS incident FROM escalations e JOIN incidents i ON i.id = e.incident_id
                WHERE e.due_at IS NOT NULL AND e.due_at <= \(bind: now.millis)
                ORDER BY e.due_at LIMIT \(literal: limit)\(unsafeRaw: claim)
                """
            ).all()
            let batch = PagingBatch(db: db, now: now, logger: self.logger, tally: tally)
            for row in rows {
                var escalation = try DocumentCoding.decode(Escalation.self, from: row.decode(column: "escalation", as: String.self))
                var incident = try DocumentCoding.decode(Incident.self, from: row.decode(column: "incident", as: String.self))
                try await batch.fire(&escalation, for: &incident)
            }
            // The claim above already locked these incidents.
            try await self.writing(on: db) { try await batch.flush(lock: "", into: $0) }
            return batch.fired
        }
    }

    /// The running escalation of an incident; `lock` is the dialect's row-lock suffix or empty.
    static func loadEscalation(of incidentID: UUID, lock: String, on db: any SQLDatabase) async throws -> Escalation? {
        try await db.raw("SELECT document FROM escalations WHERE incident_id = \(bind: incidentID.uuidString)\(unsafeRaw: lock)").first()
            .map { try DocumentCoding.decode(Escalation.self, from: $0.decode(column: "document", as: String.self)) }
    }

    /// The active users a target stands for at `now`.
    static func resolve(_ target: EscalationTarget, at now: Date, on db: any SQLDatabase) async throws -> [User] {
        let ids: [String]
        switch target {
        case .user(let id):
            ids = [id]
        case .schedule(let id):
            ids =
                try await db.raw("SELECT document FROM schedules WHERE id = \(bind: id)").first()
                .map { try DocumentCoding.decode(ScheduleRecord.self, from: $0.decode(column: "document", as: String.self)) }?
                .schedule.onCall(at: now).map { [$0] } ?? []
        case .team(let id):
            ids =
                try await db.raw("SELECT document FROM teams WHERE id = \(bind: id)").first()
                .map { try DocumentCoding.decode(Team.self, from: $0.decode(column: "document", as: String.self)) }?.members ?? []
        }
        guard !ids.isEmpty else { return [] }
        let users = try await db.raw("SELECT document FROM users WHERE id IN (\(binds: ids))").all()
            .map { try DocumentCoding.decode(User.self, from: $0.decode(column: "document", as: String.self)) }
        let byID = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A running escalation keeps the policy it started with, which may still name someone since deactivated.
        return ids.compactMap { byID[$0] }.filter(\.isActive)
    }

    /// Every person and schedule the policy names must exist.
    static func requireTargets(_ policy: EscalationPolicy, on db: any SQLDatabase) async throws {
        try await requireTargets(policy.levels.flatMap(\.targets), userField: "levels.targets", scheduleField: "levels.targets", on: db)
    }

    /// Every person and schedule named must exist; a miss is reported against the given field.
    static func requireTargets(_ targets: [EscalationTarget], userField: String, scheduleField: String, on db: any SQLDatabase) async throws
    {
        var users: [String] = []
        var named: [(table: DocumentTable, id: String)] = []
        for target in targets {
            switch target {
            case .user(let id): users.append(id)
            case .schedule(let id): named.append((.schedules, id))
            case .team(let id): named.append((.teams, id))
            }
        }
        try await requireUsers(users, field: userField, on: db)
        for (table, id) in named where try await db.raw("SELECT id FROM \(ident: table.rawValue) WHERE id = \(bind: id)").first() == nil {
            throw StoreError.invalid(field: scheduleField, reason: "names \(table.noun) '\(id)', which does not exist.")
        }
    }
}

extension SQLStore {
    /// Hands an incident to other people, schedules or another policy: the running escalation is
    /// replaced by one over the new targets, paging them at the engine's next cycle.
    public func reassign(_ key: String, to assignment: Reassignment, note: String?, by author: String, at now: Date) async throws
        -> Incident
    {
        let lock = dialect.lockRowSuffix
        return try await transaction { db in
            guard var incident = try await Self.loadIncident(key, lock: lock, on: db) else {
                throw StoreError.notFound(what: "incident", key: key)
            }
            let policy: EscalationPolicy
            switch assignment {
            case .policy(let id):
                guard let row = try await db.raw("SELECT document FROM escalation_policies WHERE id = \(bind: id)").first() else {
                    throw StoreError.invalid(field: "policy", reason: "names escalation policy '\(id)', which does not exist.")
                }
                policy = try DocumentCoding.decode(EscalationPolicy.self, from: row.decode(column: "document", as: String.self))
            case .targets(let targets):
                policy = try Reassignment.policy(for: targets)
                try await Self.requireTargets(targets, userField: "users", scheduleField: "schedules", on: db)
            }
            let entries = try incident.reassign(assignment, note: note, by: author, at: now)
            try await self.writing(on: db) { writes in
                try Self.upsertEscalations([.handover(of: incident, to: policy, at: now)], into: writes)
                try Self.save(incident, appending: entries, into: writes)
            }
            return incident
        }
    }
}
