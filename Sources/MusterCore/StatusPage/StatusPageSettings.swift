import Foundation

/// A link in the status page's header, such as the product's home or support.
public struct StatusPageLink: Codable, Sendable, Equatable {
    public var label: String
    public var url: String

    public init(label: String, url: String) {
        self.label = label
        self.url = url
    }
}

/// How the public status page looks and reads: its name, branding, time zone, header links, and
/// which component status each severity gives.
public struct StatusPageSettings: Codable, Sendable, Equatable {
    public var name: String
    /// An image shown beside the name; nil for none.
    public var logoURL: String?
    /// `#rrggbb`, used for links and the banner's edge.
    public var accentColor: String
    /// The zone the page's times and days are shown in.
    public var timeZone: String
    public var links: [StatusPageLink]
    /// The component status an open incident of each level gives; levels not named follow the
    /// standard map (most severe: major outage, second: partial outage, others: degraded).
    public var statusBySeverity: [String: ComponentStatus]
    public var updatedAt: Date?

    public static let maxLinks = 8

    public init(
        name: String, logoURL: String? = nil, accentColor: String = "#1d4ed8", timeZone: String = "UTC",
        links: [StatusPageLink] = [], statusBySeverity: [String: ComponentStatus] = [:], scheme: SeverityScheme, updatedAt: Date? = nil
    ) throws(IncidentError) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 80)
        if let logoURL { try Self.checkWebLink(logoURL, field: "logoURL") }
        guard accentColor.count == 7, accentColor.first == "#", accentColor.dropFirst().allSatisfy(\.isHexDigit) else {
            throw .invalidField(field: "accentColor", reason: "must be a colour as #rrggbb, such as #1d4ed8.")
        }
        try TextRules.timeZone(timeZone, field: "timeZone")
        guard links.count <= Self.maxLinks else { throw .invalidField(field: "links", reason: "may hold at most \(Self.maxLinks) links.") }
        for (index, link) in links.enumerated() {
            try TextRules.require(link.label.trimmingCharacters(in: .whitespaces), field: "links[\(index)].label", max: 40)
            try Self.checkWebLink(link.url, field: "links[\(index)].url")
        }
        if let unknown = statusBySeverity.keys.sorted().first(where: { scheme.rank(of: $0) == nil }) {
            throw .invalidField(
                field: "statusBySeverity.\(unknown.prefix(40))",
                reason: "is not a level; use one of \(scheme.names.joined(separator: ", ")).")
        }
        if let level = statusBySeverity.first(where: { $0.value == .operational || $0.value == .underMaintenance })?.key {
            throw .invalidField(
                field: "statusBySeverity.\(level)",
                reason: "must be degraded_performance, partial_outage or major_outage: an incident is unplanned trouble.")
        }
        self.name = trimmed
        self.logoURL = logoURL
        self.accentColor = accentColor.lowercased()
        self.timeZone = timeZone
        self.links = links
        self.statusBySeverity = statusBySeverity
        self.updatedAt = updatedAt
    }

    /// What a page has before anyone changed anything.
    public static func standard(name: String) -> StatusPageSettings {
        // The standard values pass every check.
        try! StatusPageSettings(name: name, scheme: .standard)
    }

    /// The rules under these settings: the standard map, with the levels named here replaced.
    public func rollup(for scheme: SeverityScheme) -> StatusRollup {
        var rollup = StatusRollup.standard(for: scheme)
        rollup.statusBySeverity.merge(statusBySeverity) { _, chosen in chosen }
        return rollup
    }

    /// Public pages link only to the web.
    static func checkWebLink(_ text: String, field: String) throws(IncidentError) {
        guard text.count <= 2_000, let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else {
            throw .invalidField(field: field, reason: "must be an http or https link such as https://example.com/.")
        }
    }
}
