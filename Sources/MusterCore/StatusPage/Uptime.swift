import Foundation

/// A stretch of time a component spent in one status other than operational; open while it lasts.
public struct StatusInterval: Codable, Sendable, Equatable {
    public var componentID: String
    public var status: ComponentStatus
    public var startedAt: Date
    public var endedAt: Date?
    /// What set it, as the page said at the time.
    public var reason: String?

    public init(componentID: String, status: ComponentStatus, startedAt: Date, endedAt: Date?, reason: String?) {
        self.componentID = componentID
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.reason = reason
    }
}

/// One day of a component's uptime bar.
public struct UptimeDay: Sendable, Equatable {
    /// The day's first moment in the page's time zone.
    public var start: Date
    /// False for a day before the component existed (or still to come): "no data", never "operational".
    public var hasData: Bool
    /// Seconds of the day spent in each status other than operational.
    public var seconds: [ComponentStatus: Double]

    /// The worst status the day saw, operational when none.
    public var worst: ComponentStatus {
        seconds.filter { $0.value > 0 }.keys.max { $0.badness < $1.badness } ?? .operational
    }
}

/// Uptime from recorded status intervals, not from samples: how long each day was spent in each
/// status. A major outage counts as down time in full, a partial outage at 30 % (as Statuspage
/// counts it); degraded performance and maintenance are up.
public enum Uptime {
    public static let partialOutageWeight = 0.3

    /// The last `count` days up to and including the day of `now`, oldest first.
    public static func days(
        _ intervals: [StatusInterval], since createdAt: Date, count: Int = 90, now: Date, calendar: Calendar
    ) -> [UptimeDay] {
        let today = calendar.startOfDay(for: now)
        return (0..<count).reversed().compactMap { back -> UptimeDay? in
            guard let start = calendar.date(byAdding: .day, value: -back, to: today),
                let end = calendar.date(byAdding: .day, value: 1, to: start)
            else { return nil }
            let covered = min(end, now)
            guard createdAt < covered else { return UptimeDay(start: start, hasData: false, seconds: [:]) }
            var seconds: [ComponentStatus: Double] = [:]
            for interval in intervals where interval.status != .operational {
                let from = max(interval.startedAt, start, createdAt)
                let to = min(interval.endedAt ?? now, covered)
                if to > from { seconds[interval.status, default: 0] += to.timeIntervalSince(from) }
            }
            return UptimeDay(start: start, hasData: true, seconds: seconds)
        }
    }

    /// The share of the days' observed time that counted as up, 0–1; nil when no day has data.
    public static func ratio(_ days: [UptimeDay], now: Date, calendar: Calendar, since createdAt: Date) -> Double? {
        var observed = 0.0
        var down = 0.0
        for day in days where day.hasData {
            let end = calendar.date(byAdding: .day, value: 1, to: day.start) ?? day.start
            observed += min(end, now).timeIntervalSince(max(day.start, createdAt))
            down += (day.seconds[.majorOutage] ?? 0) + (day.seconds[.partialOutage] ?? 0) * partialOutageWeight
        }
        guard observed > 0 else { return nil }
        return max(0, 1 - down / observed)
    }
}
