import Foundation
import MusterCore

/// Filters and page for listing incidents; empty filters match everything.
public struct IncidentQuery: Sendable, Equatable {
    public var statuses: [IncidentStatus]
    public var severities: [String]
    public var service: String?
    /// Detected at or after.
    public var since: Date?
    /// Detected before.
    public var until: Date?
    public var limit: Int
    public var offset: Int

    public static let maxLimit = 200

    public init(
        statuses: [IncidentStatus] = [], severities: [String] = [], service: String? = nil,
        since: Date? = nil, until: Date? = nil, limit: Int = 50, offset: Int = 0
    ) {
        self.statuses = statuses
        self.severities = severities
        self.service = service
        self.since = since
        self.until = until
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
