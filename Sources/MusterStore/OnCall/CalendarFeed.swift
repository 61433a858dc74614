import Foundation

/// A schedule's calendar feed: calendar apps cannot send headers, so the feed's URL carries a
/// secret of its own, which opens that one schedule's shifts and nothing else. Only its digest is
/// kept; rotating replaces it, revoking removes it.
public struct CalendarFeed: Codable, Sendable, Equatable {
    public var schedule: String
    /// The secret's first characters, enough to recognise it.
    public var prefix: String
    public var createdAt: Date
    /// The token name or person that made the secret.
    public var createdBy: String

    public init(schedule: String, prefix: String, createdAt: Date, createdBy: String) {
        self.schedule = schedule
        self.prefix = prefix
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// A new feed secret: `cal_` and 40 random base-62 characters.
    static func newSecret() -> String { TokenSecret.generate(prefix: "cal_") }
}
