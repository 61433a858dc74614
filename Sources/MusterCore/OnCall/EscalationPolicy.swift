import Foundation

/// Who a level pages: a person, or whoever is on call on a schedule at that moment.
public enum EscalationTarget: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    case user(String)
    case schedule(String)
    /// Every active member of the team.
    case team(String)

    enum CodingKeys: String, CodingKey { case type, id }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let id = try container.decode(String.self, forKey: .id)
        switch type {
        case "user": self = .user(id)
        case "schedule": self = .schedule(id)
        case "team": self = .team(id)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "is '\(type.prefix(40))', which is not one of: user, schedule, team.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .user(let id):
            try container.encode("user", forKey: .type)
            try container.encode(id, forKey: .id)
        case .schedule(let id):
            try container.encode("schedule", forKey: .type)
            try container.encode(id, forKey: .id)
        case .team(let id):
            try container.encode("team", forKey: .type)
            try container.encode(id, forKey: .id)
        }
    }

    public var description: String {
        switch self {
        case .user(let id): "user \(id)"
        case .schedule(let id): "schedule \(id)"
        case .team(let id): "team \(id)"
        }
    }
}

/// One step of an escalation: page these targets, then wait before the next level.
public struct EscalationLevel: Codable, Sendable, Equatable {
    public var targets: [EscalationTarget]
    /// The wait before the next level, 10 seconds to a day.
    public var delaySeconds: Int

    public init(targets: [EscalationTarget], delaySeconds: Int) throws(IncidentError) {
        guard !targets.isEmpty, targets.count <= 20 else { throw .invalidField(field: "levels.targets", reason: "must name 1–20 targets.") }
        guard (10...86_400).contains(delaySeconds) else {
            throw .invalidField(field: "levels.delayMinutes", reason: "must be from 1 to 1440 minutes (or delaySeconds from 10 to 86400).")
        }
        self.targets = targets
        self.delaySeconds = delaySeconds
    }

    public init(targets: [EscalationTarget], delayMinutes: Int) throws(IncidentError) {
        let (seconds, overflow) = delayMinutes.multipliedReportingOverflow(by: 60)
        try self.init(targets: targets, delaySeconds: overflow ? -1 : seconds)
    }

    /// The delay in whole minutes, as people read it.
    public var delayMinutes: Int { delaySeconds / 60 }

    enum CodingKeys: String, CodingKey { case targets, delayMinutes, delaySeconds }

    /// Takes `delayMinutes` (the usual way) or `delaySeconds`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let targets = try c.decode([EscalationTarget].self, forKey: .targets)
        let minutes = try c.decodeIfPresent(Int.self, forKey: .delayMinutes)
        if let seconds = try c.decodeIfPresent(Int.self, forKey: .delaySeconds) {
            // A level read back from the API carries both; they must agree.
            if let minutes, minutes != seconds / 60 {
                throw DecodingError.dataCorruptedError(
                    forKey: .delayMinutes, in: c,
                    debugDescription: "is \(minutes), which disagrees with delaySeconds \(seconds); give one of them.")
            }
            try self.init(targets: targets, delaySeconds: seconds)
        } else {
            try self.init(targets: targets, delayMinutes: c.decode(Int.self, forKey: .delayMinutes))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(targets, forKey: .targets)
        try c.encode(delaySeconds, forKey: .delaySeconds)
        try c.encode(delayMinutes, forKey: .delayMinutes)
    }
}

/// Ordered levels, walked until someone acknowledges, the whole walk repeated `repeats` more times.
public struct EscalationPolicy: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var levels: [EscalationLevel]
    public var repeats: Int
    /// Counts the edits: 1 when created. Running escalations keep the version they started with.
    public var version: Int = 1

    public init(id: String, name: String, levels: [EscalationLevel], repeats: Int) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        try TextRules.require(name, field: "name", max: 120)
        guard !levels.isEmpty, levels.count <= 20 else { throw .invalidField(field: "levels", reason: "must hold 1–20 levels.") }
        guard (0...10).contains(repeats) else { throw .invalidField(field: "repeats", reason: "must be from 0 to 10.") }
        self.id = id
        self.name = name
        self.levels = levels
        self.repeats = repeats
    }

    enum CodingKeys: String, CodingKey { case id, name, levels, repeats, version }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.decode(String.self, forKey: .id), name: c.decode(String.self, forKey: .name),
            levels: c.decode([EscalationLevel].self, forKey: .levels), repeats: c.decodeIfPresent(Int.self, forKey: .repeats) ?? 0)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
    }

    /// The policy with its name, levels and repeats replaced by `new`'s, as the next version.
    public func replaced(by new: EscalationPolicy) throws(IncidentError) -> EscalationPolicy {
        guard new.id == id else { throw .invalidField(field: "id", reason: "is '\(new.id)'; a policy's id cannot change.") }
        var next = new
        next.version = version + 1
        return next
    }
}

/// A running escalation for one incident, over a snapshot of the policy taken when it opened.
///
/// A state machine that returns what to do: `fire` says which targets to page now and when to
/// come back; the caller does the paging and stores the new state.
public struct Escalation: Codable, Sendable, Equatable {
    public var incidentID: UUID
    public var policy: EscalationPolicy
    /// The level `fire` pages next.
    public var level: Int
    /// How many times the whole policy has been walked.
    public var round: Int
    /// When `fire` is due; nil once the escalation has ended.
    public var dueAt: Date?
    /// Set while an acknowledgement with a timeout holds paging: at `dueAt` paging starts over.
    public var resumesAfterAcknowledgement: Bool
    /// Set when a responder asked for the next level now, even though the incident is acknowledged.
    public var forced: Bool
    /// Set once the last level of the last round has paged: at `dueAt`, if nobody acknowledged,
    /// the escalation has run out, and says so.
    public var lastWait: Bool = false

    public init(incidentID: UUID, policy: EscalationPolicy, startAt: Date) {
        self.incidentID = incidentID
        self.policy = policy
        level = 0
        round = 0
        dueAt = startAt
        resumesAfterAcknowledgement = false
        forced = false
    }

    enum CodingKeys: String, CodingKey { case incidentID, policy, level, round, dueAt, resumesAfterAcknowledgement, forced, lastWait }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        incidentID = try c.decode(UUID.self, forKey: .incidentID)
        policy = try c.decode(EscalationPolicy.self, forKey: .policy)
        level = try c.decode(Int.self, forKey: .level)
        round = try c.decode(Int.self, forKey: .round)
        dueAt = try c.decodeIfPresent(Date.self, forKey: .dueAt)
        resumesAfterAcknowledgement = try c.decodeIfPresent(Bool.self, forKey: .resumesAfterAcknowledgement) ?? false
        forced = try c.decodeIfPresent(Bool.self, forKey: .forced) ?? false
        lastWait = try c.decodeIfPresent(Bool.self, forKey: .lastWait) ?? false
    }

    /// What one due step does.
    public struct Step: Equatable, Sendable {
        public var level: Int
        public var round: Int
        public var targets: [EscalationTarget]
        /// When the next level is due (after the last page, when the escalation runs out).
        public var next: Date?
        /// The last page's wait passed and nobody acknowledged: there is nobody left to page.
        public var ranOut: Bool = false
    }

    /// Pages the current level and moves on; nil when nothing is due at `now`. After the last
    /// level's wait, returns a step that has run out, with no targets, and ends.
    public mutating func fire(at now: Date) -> Step? {
        guard let due = dueAt, due <= now else { return nil }
        forced = false
        if lastWait {
            stop()
            return Step(level: policy.levels.count - 1, round: policy.repeats, targets: [], next: nil, ranOut: true)
        }
        let current = policy.levels[level]
        let step = Step(level: level, round: round, targets: current.targets, next: nil)
        level += 1
        if level == policy.levels.count {
            level = 0
            round += 1
        }
        lastWait = round > policy.repeats
        // Later levels wait from the page, not from when it was due, so a late engine does not burst.
        dueAt = max(now, due).addingTimeInterval(Double(current.delaySeconds))
        return Step(level: step.level, round: step.round, targets: step.targets, next: dueAt)
    }

    /// An escalation for a severity that does not page at once: level 1 waits its delay, so that
    /// someone who acknowledges first spares everyone the page.
    public init(incidentID: UUID, policy: EscalationPolicy, deferredFrom start: Date) {
        self.init(incidentID: incidentID, policy: policy, startAt: start.addingTimeInterval(Double(policy.levels[0].delaySeconds)))
    }

    /// The incident's severity rose to one that pages at once. A triggered incident still waiting
    /// for its level 1 pages now; one already taken on has its first level paged again, since
    /// what the responders took on has grown.
    public mutating func severityRaised(incidentStatus status: IncidentStatus, at now: Date) {
        guard status.isOpen else { return }
        if status == .triggered {
            if let due = dueAt, due > now, level == 0, round == 0 { dueAt = now }
        } else {
            restart(at: now)
            forced = true
        }
    }

    /// Ends the escalation: someone acknowledged, or the incident resolved.
    public mutating func stop() {
        dueAt = nil
        resumesAfterAcknowledgement = false
        forced = false
        lastWait = false
    }

    /// Jumps to the next level at once (a responder escalating by hand), acknowledged or not.
    public mutating func escalateNow(at now: Date) {
        dueAt = now
        forced = true
        resumesAfterAcknowledgement = false
        // Past the last level, escalating by hand pages the first level once more.
        lastWait = false
    }

    /// Holds paging for an acknowledgement that lapses at `deadline`, when paging starts over.
    public mutating func hold(until deadline: Date) {
        dueAt = deadline
        resumesAfterAcknowledgement = true
        forced = false
    }

    /// The acknowledgement lapsed: start again from the first level, due now.
    public mutating func restart(at now: Date) {
        level = 0
        round = 0
        dueAt = now
        resumesAfterAcknowledgement = false
        lastWait = false
    }
}
