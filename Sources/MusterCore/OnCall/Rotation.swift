import Foundation

/// How long each person's turn in a rotation lasts.
public enum ShiftUnit: String, StrictStringEnum {
    /// Exact hours, whatever the wall clock does.
    case hours
    /// Calendar days: the handoff stays at the same local time across daylight-saving changes.
    case days
    /// Calendar weeks, like days.
    case weeks
}

/// One layer of a schedule: people taking turns from `start`, each for `shiftLength` units.
public struct Rotation: Codable, Sendable, Equatable {
    public var name: String
    public var users: [String]
    public var shiftLength: Int
    public var unit: ShiftUnit
    /// The first handoff: `users[0]` is on call from here. Its local time of day is the handoff time.
    public var start: Date
    /// IANA time zone the handoff time is kept in, e.g. `Europe/Berlin`.
    public var timeZone: String
    /// The layer stops applying here, if set.
    public var end: Date?

    public init(
        name: String, users: [String], shiftLength: Int, unit: ShiftUnit, start: Date, timeZone: String, end: Date? = nil
    ) throws(IncidentError) {
        guard !users.isEmpty else { throw .invalidField(field: "users", reason: "must name at least one person.") }
        guard users.count <= 500 else { throw .invalidField(field: "users", reason: "may name at most 500 people.") }
        guard (1...10_000).contains(shiftLength) else { throw .invalidField(field: "shiftLength", reason: "must be from 1 to 10000.") }
        try TextRules.timeZone(timeZone, field: "timeZone")
        if let end, end <= start { throw .invalidField(field: "end", reason: "must be later than start.") }
        self.name = name
        self.users = users
        self.shiftLength = shiftLength
        self.unit = unit
        self.start = start
        self.timeZone = timeZone
        self.end = end
    }

    enum CodingKeys: String, CodingKey { case name, users, shiftLength, unit, start, timeZone, end }

    /// Decoding runs the same checks as building one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: c.decodeIfPresent(String.self, forKey: .name) ?? "layer", users: c.decode([String].self, forKey: .users),
            shiftLength: c.decode(Int.self, forKey: .shiftLength), unit: c.decode(ShiftUnit.self, forKey: .unit),
            start: c.decode(Date.self, forKey: .start), timeZone: c.decodeIfPresent(String.self, forKey: .timeZone) ?? "UTC",
            end: c.decodeIfPresent(Date.self, forKey: .end))
    }

    /// Whether the layer applies at `date`.
    public func isActive(at date: Date) -> Bool {
        date >= start && end.map { date < $0 } ?? true
    }

    /// The instant of handoff number `index` (0 is `start`).
    public func handoff(_ index: Int) -> Date {
        switch unit {
        case .hours:
            return start.addingTimeInterval(Double(index * shiftLength) * 3_600)
        case .days, .weeks:
            let days = index * shiftLength * (unit == .weeks ? 7 : 1)
            return calendar.date(byAdding: .day, value: days, to: start) ?? start
        }
    }

    /// The number of the turn under way at `date` (negative before `start`).
    public func turn(at date: Date) -> Int {
        let approximate = date.timeIntervalSince(start) / nominalSeconds
        var index = Int(approximate.rounded(.down))
        // Calendar shifts vary by an hour around daylight-saving changes; step to the exact turn.
        while handoff(index) > date { index -= 1 }
        while handoff(index + 1) <= date { index += 1 }
        return index
    }

    /// Who is on call in this layer at `date`, if the layer applies.
    public func onCall(at date: Date) -> String? {
        guard isActive(at: date) else { return nil }
        let index = turn(at: date)
        return users[((index % users.count) + users.count) % users.count]
    }

    /// Handoff instants strictly inside `from..<to`, with the layer's own start and end.
    public func boundaries(from: Date, to: Date) -> [Date] {
        var result: [Date] = [start]
        if let end { result.append(end) }
        let first = max(from, start)
        guard first < to else { return result.filter { $0 >= from && $0 < to } }
        var index = turn(at: first)
        var moment = handoff(index)
        while moment < to, end.map({ moment < $0 }) ?? true {
            if moment >= from { result.append(moment) }
            index += 1
            moment = handoff(index)
        }
        return result.filter { $0 >= from && $0 < to }
    }

    private var nominalSeconds: Double {
        Double(shiftLength) * (unit == .hours ? 3_600 : unit == .days ? 86_400 : 604_800)
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        return calendar
    }
}
