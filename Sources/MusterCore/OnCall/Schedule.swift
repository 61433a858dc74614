import Foundation

/// Someone standing in for whoever is on call, for a while.
public struct ScheduleOverride: Codable, Sendable, Equatable {
    /// Names the override, to change or remove it later.
    public var id: UUID
    public var user: String
    public var start: Date
    public var end: Date

    public init(id: UUID = UUID(), user: String, start: Date, end: Date) throws(IncidentError) {
        guard !user.isEmpty else { throw .invalidField(field: "user", reason: "must not be empty.") }
        guard end > start else { throw .invalidField(field: "end", reason: "must be later than start.") }
        self.id = id
        self.user = user
        self.start = start
        self.end = end
    }

    enum CodingKeys: String, CodingKey { case id, user, start, end }

    /// Overrides stored before they had ids get one here; migration 7 stores it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.decodeIfPresent(UUID.self, forKey: .id) ?? UUID(), user: c.decode(String.self, forKey: .user),
            start: c.decode(Date.self, forKey: .start), end: c.decode(Date.self, forKey: .end))
    }

    /// The same override with the changes given; nil keeps a field.
    public func changed(user: String?, start: Date?, end: Date?) throws(IncidentError) -> ScheduleOverride {
        try ScheduleOverride(id: id, user: user ?? self.user, start: start ?? self.start, end: end ?? self.end)
    }

    public func covers(_ date: Date) -> Bool { start <= date && date < end }
}

/// A stretch of time with one person on call.
public struct Shift: Codable, Sendable, Equatable {
    public var user: String?
    public var start: Date
    public var end: Date

    public init(user: String?, start: Date, end: Date) {
        self.user = user
        self.start = start
        self.end = end
    }
}

/// Layers of rotations, the later winning where active, with overrides on top.
public struct Schedule: Codable, Sendable, Equatable {
    public var layers: [Rotation]
    /// Later overrides win where they overlap.
    public var overrides: [ScheduleOverride]

    public init(layers: [Rotation], overrides: [ScheduleOverride] = []) {
        self.layers = layers
        self.overrides = overrides
    }

    /// Everyone the schedule names, in first-seen order.
    public var people: [String] {
        var seen = Set<String>()
        return (layers.flatMap(\.users) + overrides.map(\.user)).filter { seen.insert($0).inserted }
    }

    /// The next moment after `date` when the person on call changes, looking ahead at most `horizon` seconds.
    public func nextHandoff(after date: Date, horizon: TimeInterval = 90 * 86_400) -> Shift? {
        let upcoming = shifts(from: date, to: date.addingTimeInterval(horizon))
        return upcoming.count > 1 ? upcoming[1] : nil
    }

    /// Who is on call at `date`, or nil when no layer applies and no override covers it.
    public func onCall(at date: Date) -> String? {
        if let override = overrides.last(where: { $0.covers(date) }) { return override.user }
        for layer in layers.reversed() {
            if let user = layer.onCall(at: date) { return user }
        }
        return nil
    }

    /// The shifts between `from` and `to`, merged where the same person carries on.
    public func shifts(from: Date, to: Date) -> [Shift] {
        guard from < to else { return [] }
        var cuts = Set<Date>([from, to])
        for layer in layers { cuts.formUnion(layer.boundaries(from: from, to: to)) }
        for override in overrides {
            for moment in [override.start, override.end] where moment > from && moment < to { cuts.insert(moment) }
        }
        let ordered = cuts.sorted()
        var shifts: [Shift] = []
        for (start, end) in zip(ordered, ordered.dropFirst()) {
            let user = onCall(at: start)
            if let last = shifts.last, last.user == user, last.end == start {
                shifts[shifts.count - 1].end = end
            } else {
                shifts.append(Shift(user: user, start: start, end: end))
            }
        }
        return shifts
    }
}
