import Foundation
import MusterCore

/// A lifecycle time of an incident, as lists filter and sort by it; the raw values are the
/// incident's JSON field names.
public enum IncidentTime: String, StrictStringEnum {
    case impactStarted = "impactStartedAt"
    case detected = "detectedAt"
    case acknowledged = "acknowledgedAt"
    case mitigated = "mitigatedAt"
    case resolved = "resolvedAt"
    case closed = "closedAt"
    case updated = "updatedAt"

    /// The column that holds it, in Unix milliseconds.
    var column: String {
        switch self {
        case .impactStarted: "impact_started_at"
        case .detected: "detected_at"
        case .acknowledged: "acknowledged_at"
        case .mitigated: "mitigated_at"
        case .resolved: "resolved_at"
        case .closed: "closed_at"
        case .updated: "updated_at"
        }
    }
}

/// Filters and page for listing incidents; empty filters match everything.
public struct IncidentQuery: Sendable, Equatable {
    public var statuses: [IncidentStatus]
    public var severities: [String]
    public var service: String?
    /// The lifecycle time `since` and `until` apply to.
    public var time: IncidentTime = .detected
    /// `time` at or after.
    public var since: Date?
    /// `time` before.
    public var until: Date?
    /// The lifecycle time to order by; incidents without it come last.
    public var sort: IncidentTime = .detected
    public var descending = true
    /// Open incidents before resolved and closed ones, each part in the order asked.
    public var openFirst = false
    /// Only incidents this person holds a role in or was paged for.
    public var involving: String?
    public var limit: Int
    public var offset: Int

    public static let maxLimit = 200

    public init(
        statuses: [IncidentStatus] = [], severities: [String] = [], service: String? = nil, time: IncidentTime = .detected,
        since: Date? = nil, until: Date? = nil, sort: IncidentTime = .detected, descending: Bool = true, limit: Int = 50,
        offset: Int = 0
    ) {
        self.statuses = statuses
        self.severities = severities
        self.service = service
        self.time = time
        self.since = since
        self.until = until
        self.sort = sort
        self.descending = descending
        self.limit = limit
        self.offset = offset
    }
}

/// One page of incidents and the total that matched.
public struct IncidentPage: Codable, Sendable, Equatable {
    public var items: [Incident]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Incident], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}
