import Foundation

/// A person signed in to the web pages. The browser holds the session's secret in a cookie; only
/// its digest is kept, so a copy of the database opens no session.
public struct WebSession: Codable, Sendable, Equatable {
    public var user: String
    /// Sent back with every form and state-changing request (CSRF).
    public var csrfToken: String
    public var createdAt: Date
    /// When the session was last used, to the minute; it ends after the idle limit.
    public var lastSeenAt: Date

    public init(user: String, csrfToken: String, createdAt: Date, lastSeenAt: Date) {
        self.user = user
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }

    /// A new session secret: `mss_` and 40 random base-62 characters.
    static func newSecret() -> String { TokenSecret.generate(prefix: "mss_") }
}
