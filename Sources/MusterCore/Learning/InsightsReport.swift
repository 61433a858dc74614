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

/// The times of an incident a report reads: its lifecycle columns, without its document.
public struct IncidentTimes: Sendable, Equatable {
    public var id: UUID
    public var severity: String
    public var services: [String]
    public var impactStartedAt: Date?
    public var detectedAt: Date
    public var acknowledgedAt: Date?
    public var mitigatedAt: Date?
    public var resolvedAt: Date?

    public init(
        id: UUID, severity: String, services: [String], impactStartedAt: Date?, detectedAt: Date, acknowledgedAt: Date?, mitigatedAt: Date?,
        resolvedAt: Date?
    ) {
        self.id = id
        self.severity = severity
        self.services = services
        self.impactStartedAt = impactStartedAt
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.mitigatedAt = mitigatedAt
        self.resolvedAt = resolvedAt
    }

    public init(_ incident: Incident) {
        self.init(
            id: incident.id, severity: incident.severity, services: incident.services, impactStartedAt: incident.impactStartedAt,
            detectedAt: incident.detectedAt, acknowledgedAt: incident.acknowledgedAt, mitigatedAt: incident.mitigatedAt,
            resolvedAt: incident.resolvedAt)
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
        self.init(
            from: from, to: to, times: incidents.map(IncidentTimes.init), postmortems: postmortems, actionItems: actionItems,
            scheme: scheme,
            policy: policy, now: now)
    }

    /// The report from the incidents' times alone, as the store reads them for a long period.
    public init(
        from: Date, to: Date, times incidents: [IncidentTimes], postmortems: [Postmortem], actionItems: [ActionItem],
        scheme: SeverityScheme,
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
        var detect: [Double] = []
        var acknowledge: [Double] = []
        var mitigate: [Double] = []
        var resolve: [Double] = []
        var lasted: [Double] = []
        var ackMet: [Bool] = []
        var resolveMet: [Bool] = []
        var standIns = 0
        let levels = Dictionary(scheme.levels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func span(_ from: Date?, _ to: Date?) -> Double? {
            guard let from, let to else { return nil }
            return max(0, to.timeIntervalSince(from))
        }
        for incident in incidents {
            if let value = span(incident.impactStartedAt, incident.detectedAt) { detect.append(value) }
            if let value = span(incident.detectedAt, incident.acknowledgedAt) { acknowledge.append(value) }
            if let value = span(incident.detectedAt, incident.mitigatedAt) { mitigate.append(value) }
            if let value = span(incident.detectedAt, incident.resolvedAt) { resolve.append(value) }
            if let value = span(incident.impactStartedAt ?? incident.detectedAt, incident.resolvedAt) {
                lasted.append(value)
                if incident.impactStartedAt == nil { standIns += 1 }
            }
            guard let level = levels[incident.severity] else { continue }
            for (target, reached, met) in [
                (level.acknowledgeTargetSeconds, incident.acknowledgedAt, 0), (level.resolveTargetSeconds, incident.resolvedAt, 1),
            ] {
                let state = TargetStatus.evaluate(start: incident.detectedAt, seconds: target, reachedAt: reached, now: now).state
                guard state != .running else { continue }
                if met == 0 { ackMet.append(state == .met) } else { resolveMet.append(state == .met) }
            }
        }
        timeToDetect = DurationStats(detect)
        timeToAcknowledge = DurationStats(acknowledge, met: ackMet)
        timeToMitigate = DurationStats(mitigate)
        timeToResolve = DurationStats(resolve, met: resolveMet)
        duration = DurationStats(lasted, fallbacks: standIns)
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
