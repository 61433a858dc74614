import Foundation

/// A distribution of durations: how many, the median, the 90th percentile, the longest, and the
/// share within the severity's target where there is one.
public struct DurationStats: Codable, Sendable, Equatable {
    public var count: Int
    public var medianSeconds: Double?
    public var p90Seconds: Double?
    public var maxSeconds: Double?
    /// Of those with a target, the share met (0–1); nil when none had one.
    public var withinTarget: Double?
    /// How many were measured from a stand-in moment (detection for a missing impact start).
    public var fallbacks: Int

    /// Nearest-rank percentiles of `seconds`; `met` holds, for each value with a target, whether it was met.
    public init(_ seconds: [Double], met: [Bool] = [], fallbacks: Int = 0) {
        let sorted = seconds.sorted()
        count = sorted.count
        medianSeconds = Self.percentile(sorted, 50)
        p90Seconds = Self.percentile(sorted, 90)
        maxSeconds = sorted.last
        withinTarget = met.isEmpty ? nil : Double(met.filter { $0 }.count) / Double(met.count)
        self.fallbacks = fallbacks
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// The seeds' metrics for a period: how many incidents and how often, how long each step took,
/// whether post-mortems were written on time, and whether action items got done.
public struct InsightsReport: Codable, Sendable, Equatable {
    public var from: Date
    public var to: Date
    public var incidents: Int
    public var perWeek: Double
    /// Incidents detected in each week of the period, the first week starting at `from`.
    public var weekly: [Int]
    public var bySeverity: [String: Int]
    public var byService: [String: Int]
    public var timeToDetect: DurationStats
    public var timeToAcknowledge: DurationStats
    public var timeToMitigate: DurationStats
    public var timeToResolve: DurationStats
    public var duration: DurationStats
    /// Post-mortems the severity required, published, and published by their due date.
    public var postmortemsRequired: Int
    public var postmortemsPublished: Int
    public var postmortemsOnTime: Int
    public var actionItemsDone: Int
    public var actionItemsOpen: Int
    public var actionItemsOverdue: Int
    public var actionItemsDoneOnTime: Int

    /// The report of `incidents` (those detected in the period), their post-mortems and action items.
    public init(
        from: Date, to: Date, incidents: [Incident], postmortems: [Postmortem], actionItems: [ActionItem], scheme: SeverityScheme,
        policy: PostmortemPolicy, now: Date
    ) {
        self.from = from
        self.to = to
        self.incidents = incidents.count
        perWeek = Double(incidents.count) / max(to.timeIntervalSince(from) / (7 * 86_400), 1.0 / 7)
        let weeks = max(1, Int((to.timeIntervalSince(from) / (7 * 86_400)).rounded(.up)))
        var weekly = Array(repeating: 0, count: weeks)
        for incident in incidents {
            let week = Int(incident.detectedAt.timeIntervalSince(from) / (7 * 86_400))
            if week >= 0, week < weeks { weekly[week] += 1 }
        }
        self.weekly = weekly
        bySeverity = Dictionary(grouping: incidents, by: \.severity).mapValues(\.count)
        var services: [String: Int] = [:]
        for incident in incidents { for service in incident.services { services[service, default: 0] += 1 } }
        byService = services
        let figures = incidents.map { incident in
            (
                incident,
                IncidentFigures(
                    incident: incident, timeline: [], severity: try? scheme.level(named: incident.severity), alerts: 0, pages: 0, now: now)
            )
        }
        timeToDetect = DurationStats(figures.compactMap(\.1.timeToDetect.seconds))
        timeToAcknowledge = DurationStats(
            figures.compactMap(\.1.timeToAcknowledge.seconds),
            met: figures.compactMap { $0.1.targets?.acknowledge.state }.filter { $0 != .running }.map { $0 == .met })
        timeToMitigate = DurationStats(figures.compactMap(\.1.timeToMitigate.seconds))
        timeToResolve = DurationStats(
            figures.compactMap(\.1.timeToResolve.seconds),
            met: figures.compactMap { $0.1.targets?.resolve.state }.filter { $0 != .running }.map { $0 == .met })
        duration = DurationStats(
            figures.compactMap(\.1.duration.seconds),
            fallbacks: figures.filter { $0.1.duration.seconds != nil && $0.1.duration.fallback != nil }.count)
        let ids = Set(incidents.map(\.id))
        let byIncident = Dictionary(
            postmortems.filter { ids.contains($0.incidentID) }.map { ($0.incidentID, $0) }, uniquingKeysWith: { first, _ in first })
        let required = incidents.filter { $0.resolvedAt != nil && policy.required.contains($0.severity) }
        postmortemsRequired = required.count
        let published = required.compactMap { byIncident[$0.id] }.filter { $0.state == .published }
        postmortemsPublished = published.count
        postmortemsOnTime = published.filter { ($0.publishedAt ?? .distantFuture) <= $0.dueAt }.count
        let items = actionItems.filter { $0.incidentID.map(ids.contains) ?? false }
        actionItemsDone = items.filter { $0.status == .done }.count
        actionItemsOpen = items.filter(\.status.isOpen).count
        actionItemsOverdue = items.filter { $0.isOverdue(at: now) }.count
        actionItemsDoneOnTime = items.filter { $0.doneOnTime == true }.count
    }
}
