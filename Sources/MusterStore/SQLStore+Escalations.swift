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

    /// Snapshots the policy of the incident's first service that has one; the first page is due at once.
    static func startEscalation(for incident: Incident, on db: any SQLDatabase) async throws {
        for service in incident.services {
            guard let policyID = try await db.raw("SELECT escalation_policy FROM services WHERE id = \(bind: service)").first()?
                .decode(column: "escalation_policy", as: String?.self),
                let row = try await db.raw("SELECT document FROM escalation_policies WHERE id = \(bind: policyID)").first()
            else { continue }
            let policy = try DocumentCoding.decode(EscalationPolicy.self, from: row.decode(column: "document", as: String.self))
            try await saveEscalation(Escalation(incidentID: incident.id, policy: policy, startAt: incident.detectedAt), isNew: true, on: db)
            return
        }
    }

    static func saveEscalation(_ escalation: Escalation, isNew: Bool, on db: any SQLDatabase) async throws {
        let document = try DocumentCoding.encode(escalation)
        if isNew {
            try await db.raw("""
                INSERT INTO escalations (incident_id, due_at, document)
                VALUES (\(bind: escalation.incidentID.uuidString), \(bind: escalation.dueAt?.millis), \(bind: document))
                """).run()
        } else {
            try await db.raw("""
                UPDATE escalations SET due_at = \(bind: escalation.dueAt?.millis), document = \(bind: document)
                WHERE incident_id = \(bind: escalation.incidentID.uuidString)
                """).run()
        }
    }

    /// One engine cycle: pages every level that is due, in one transaction; returns how many levels fired.
    /// Rows are claimed with SKIP LOCKED, so several processes never page the same level twice.
    public func runDueEscalations(at now: Date, limit: Int = 100) async throws -> Int {
        let claim = dialect.claimSuffix
        let dialectLock = dialect.lockRowSuffix
        return try await transaction { db in
            let rows = try await db.raw("""
                SELECT document FROM escalations WHERE due_at IS NOT NULL AND due_at <= \(bind: now.millis)
                ORDER BY due_at LIMIT \(literal: limit)\(unsafeRaw: claim)
                """).all()
            var fired = 0
            // Many escalations page the same schedules and people in one cycle: resolve each once.
            var resolvedTargets: [EscalationTarget: [User]] = [:]
            for row in rows {
                var escalation = try DocumentCoding.decode(Escalation.self, from: row.decode(column: "document", as: String.self))
                guard var incident = try await Self.loadIncident(escalation.incidentID.uuidString, lock: dialectLock, on: db) else {
                    escalation.stop()
                    try await Self.saveEscalation(escalation, isNew: false, on: db)
                    continue
                }
                var entries: [TimelineDraft] = []
                if incident.status == .acknowledged, escalation.resumesAfterAcknowledgement {
                    entries += incident.acknowledgementLapsed(at: now)
                    escalation.restart(at: now)
                }
                let wanted = incident.status == .triggered || (escalation.forced && incident.status.isOpen)
                guard wanted else {
                    // Acknowledged, being worked on, or resolved: nobody needs paging any more.
                    escalation.stop()
                    try await Self.saveEscalation(escalation, isNew: false, on: db)
                    continue
                }
                guard let step = escalation.fire(at: now) else { continue }
                fired += 1
                // Dedup stage: someone named twice in one level (in person and via a schedule) is paged once.
                var paged = Set<String>()
                for target in step.targets {
                    let resolved: [User]
                    if let cached = resolvedTargets[target] {
                        resolved = cached
                    } else {
                        resolved = try await Self.resolve(target, at: now, on: db)
                        resolvedTargets[target] = resolved
                    }
                    let users = resolved.filter { paged.insert($0.id).inserted }
                    if users.isEmpty, !resolved.isEmpty { continue }
                    if users.isEmpty {
                        entries.append(TimelineDraft(
                            kind: .page, at: now, author: "muster",
                            text: "Level \(step.level + 1): nobody to page for \(target) (no one on call)",
                            details: ["level": String(step.level + 1), "target": target.description]))
                    }
                    for user in users {
                        for contact in user.contactMethods {
                            let notification = Page(id: UUID(), incident: incident, user: user.id, contact: contact, level: step.level + 1, at: now)
                            try await Self.saveNotification(notification, isNew: true, on: db)
                        }
                        let via = target == .user(user.id) ? "" : " via \(target)"
                        entries.append(TimelineDraft(
                            kind: .page, at: now, author: "muster",
                            text: "Paged \(user.id)\(via) (level \(step.level + 1)\(step.round > 0 ? ", repeat \(step.round)" : ""))",
                            details: ["level": String(step.level + 1), "user": user.id, "round": String(step.round)]))
                    }
                }
                incident.updatedAt = now
                try await Self.saveEscalation(escalation, isNew: false, on: db)
                try await Self.save(incident, on: db)
                try await Self.append(entries, to: incident.id, on: db)
            }
            return fired
        }
    }

    /// Holds paging until `deadline`, after an acknowledgement with a timeout.
    public func holdEscalation(of incidentID: UUID, until deadline: Date) async throws {
        try await changeEscalation(of: incidentID) { $0.hold(until: deadline) }
    }

    /// Pages the next level at the engine's next cycle, even if the incident is acknowledged.
    public func escalateNow(_ incidentID: UUID, at now: Date) async throws {
        try await changeEscalation(of: incidentID) { $0.escalateNow(at: now) }
    }

    private func changeEscalation(of incidentID: UUID, _ change: @escaping @Sendable (inout Escalation) -> Void) async throws {
        let lock = dialect.lockRowSuffix
        try await transaction { db in
            guard var escalation = try await db.raw("SELECT document FROM escalations WHERE incident_id = \(bind: incidentID.uuidString)\(unsafeRaw: lock)").first()
                .map({ try DocumentCoding.decode(Escalation.self, from: $0.decode(column: "document", as: String.self)) }) else {
                throw StoreError.invalid(field: "escalation", reason: "does not exist: the incident's services had no escalation policy when it opened.")
            }
            change(&escalation)
            try await Self.saveEscalation(escalation, isNew: false, on: db)
        }
    }

    /// The users a target stands for at `now`.
    static func resolve(_ target: EscalationTarget, at now: Date, on db: any SQLDatabase) async throws -> [User] {
        let userID: String?
        switch target {
        case .user(let id):
            userID = id
        case .schedule(let id):
            userID = try await db.raw("SELECT document FROM schedules WHERE id = \(bind: id)").first()
                .map { try DocumentCoding.decode(ScheduleRecord.self, from: $0.decode(column: "document", as: String.self)) }?
                .schedule.onCall(at: now)
        }
        guard let userID, let user = try await db.raw("SELECT document FROM users WHERE id = \(bind: userID)").first()
            .map({ try DocumentCoding.decode(User.self, from: $0.decode(column: "document", as: String.self)) }) else { return [] }
        return [user]
    }

    /// Every person and schedule the policy names must exist.
    static func requireTargets(_ policy: EscalationPolicy, on db: any SQLDatabase) async throws {
        try await requireTargets(policy.levels.flatMap(\.targets), userField: "levels.targets", scheduleField: "levels.targets", on: db)
    }

    /// Every person and schedule named must exist; a miss is reported against the given field.
    static func requireTargets(_ targets: [EscalationTarget], userField: String, scheduleField: String, on db: any SQLDatabase) async throws {
        var users: [String] = []
        var schedules: [String] = []
        for target in targets {
            switch target {
            case .user(let id): users.append(id)
            case .schedule(let id): schedules.append(id)
            }
        }
        try await requireUsers(users, field: userField, on: db)
        guard !schedules.isEmpty else { return }
        let known = Set(try await db.raw("SELECT id FROM schedules WHERE id IN (\(binds: schedules))").all()
            .map { try $0.decode(column: "id", as: String.self) })
        if let missing = schedules.first(where: { !known.contains($0) }) {
            throw StoreError.invalid(field: scheduleField, reason: "names schedule '\(missing)', which does not exist.")
        }
    }
}

extension SQLStore {
    /// Hands an incident to other people, schedules or another policy: the running escalation is
    /// replaced by one over the new targets, paging them at the engine's next cycle.
    public func reassign(_ key: String, to assignment: Reassignment, note: String?, by author: String, at now: Date) async throws -> Incident {
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
            var escalation = Escalation(incidentID: incident.id, policy: policy, startAt: now)
            // Someone already working the incident hands it over: the new people are paged even so.
            escalation.forced = incident.status != .triggered
            let exists = try await db.raw("SELECT incident_id FROM escalations WHERE incident_id = \(bind: incident.id.uuidString)\(unsafeRaw: lock)").first() != nil
            try await Self.saveEscalation(escalation, isNew: !exists, on: db)
            try await Self.save(incident, on: db)
            try await Self.append(entries, to: incident.id, on: db)
            return incident
        }
    }
}
