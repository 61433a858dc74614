import Foundation

/// What deactivating a person changes on call: they leave every schedule layer and override,
/// every escalation level and every team. Worked out here, so the store only reads and writes.
public struct Deactivation: Sendable, Equatable {
    /// The schedules, policies and teams that named the person, as they are without them.
    public var schedules: [ScheduleRecord] = []
    public var policies: [EscalationPolicy] = []
    public var teams: [Team] = []
    /// One line per change, for the person who asked.
    public var changes: [String] = []

    /// The changes that take `user` out of on-call duty. Fails, changing nothing, when a policy
    /// would be left paging nobody: someone must be named in their place first.
    public static func plan(
        removing user: String, schedules: [ScheduleRecord], policies: [EscalationPolicy], teams: [Team], at now: Date
    ) throws(IncidentError) -> Deactivation {
        var plan = Deactivation()
        for var record in schedules where record.schedule.people.contains(user) {
            plan.remove(user, from: &record, at: now)
            plan.schedules.append(record)
        }
        for var policy in policies where policy.levels.contains(where: { $0.targets.contains(.user(user)) }) {
            try plan.remove(user, from: &policy)
            plan.policies.append(policy)
        }
        for var team in teams where team.members.contains(user) {
            team.members.removeAll { $0 == user }
            plan.changes.append("left team \(team.id)")
            plan.teams.append(team)
        }
        return plan
    }

    private mutating func remove(_ user: String, from record: inout ScheduleRecord, at now: Date) {
        var layers: [Rotation] = []
        for var layer in record.schedule.layers {
            guard layer.users.contains(user) else {
                layers.append(layer)
                continue
            }
            layer.users.removeAll { $0 == user }
            if layer.users.isEmpty {
                changes.append("schedule \(record.id): layer '\(layer.name)' removed, \(user) was its only person")
            } else {
                changes.append(
                    "schedule \(record.id): left layer '\(layer.name)', the rotation goes on with \(layer.users.joined(separator: ", "))")
                layers.append(layer)
            }
        }
        let overrides = record.schedule.overrides.filter { $0.user == user && $0.end > now }.count
        if overrides > 0 { changes.append("schedule \(record.id): \(overrides) override\(overrides == 1 ? "" : "s") removed") }
        record.schedule.overrides.removeAll { $0.user == user }
        record.schedule.layers = layers
        if layers.isEmpty { changes.append("schedule \(record.id) has no layers left: nobody is on call on it") }
        record.updatedAt = now
    }

    private mutating func remove(_ user: String, from policy: inout EscalationPolicy) throws(IncidentError) {
        var levels: [EscalationLevel] = []
        for (number, var level) in policy.levels.enumerated() {
            guard level.targets.contains(.user(user)) else {
                levels.append(level)
                continue
            }
            level.targets.removeAll { $0 == .user(user) }
            if level.targets.isEmpty {
                changes.append("policy \(policy.id): level \(number + 1) removed, it paged only \(user)")
            } else {
                changes.append("policy \(policy.id): no longer pages \(user) at level \(number + 1)")
                levels.append(level)
            }
        }
        guard !levels.isEmpty else {
            throw .invalidField(
                field: "user",
                reason:
                    "is the only person escalation policy '\(policy.id)' pages; name someone else in it first, so it still pages somebody.")
        }
        policy.levels = levels
    }
}
