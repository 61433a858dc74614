import Foundation

/// A deploy or configuration change to a service, as a CI pipeline or a person reported it. A
/// change never opens an incident or pages anyone; it is context for the incidents that follow.
public struct ChangeEvent: Codable, Sendable, Equatable {
    public var id: UUID
    public var service: String
    /// What changed, in a line: "Deploy v2.34".
    public var summary: String
    /// Where it came from: a host, a pipeline, a tool.
    public var source: String?
    /// When the change happened.
    public var at: Date
    /// When Muster heard of it.
    public var receivedAt: Date
    /// What the sender attached: the pull request, the pipeline run, the diff.
    public var links: [AlertLink]
    /// The sender's own facts (PagerDuty's `custom_details`), each value as text.
    public var details: [String: String]
    /// How it arrived: `pagerduty`, `api`.
    public var via: String

    public init(
        id: UUID, service: String, summary: String, source: String? = nil, at: Date, receivedAt: Date, links: [AlertLink] = [],
        details: [String: String] = [:], via: String
    ) throws(IncidentError) {
        try ServiceSlug.validate(service, field: "service")
        let summary = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(summary, field: "summary", max: 1_024)
        if let source { try TextRules.limit(source, field: "source", max: 255) }
        guard links.count <= 20 else { throw .invalidField(field: "links", reason: "may hold at most 20 links.") }
        for link in links {
            try TextRules.limit(link.href, field: "links.href", max: 2_000)
            guard let url = URL(string: link.href), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw .invalidField(field: "links.href", reason: "must be an http or https URL; got '\(link.href.prefix(80))'.")
            }
            if let text = link.text { try TextRules.limit(text, field: "links.text", max: 255) }
        }
        guard details.count <= 50 else { throw .invalidField(field: "custom_details", reason: "may hold at most 50 entries.") }
        for (key, value) in details {
            try TextRules.limit(key, field: "custom_details", max: 200)
            try TextRules.limit(value, field: "custom_details.\(key.prefix(40))", max: 4_000)
        }
        // A clock a little ahead is forgiven; a change dated tomorrow is a mistake.
        guard at <= receivedAt.addingTimeInterval(300) else {
            throw .invalidField(field: "timestamp", reason: "is \(RFC3339.format(at)), which is in the future.")
        }
        self.id = id
        self.service = service
        self.summary = summary
        self.source = source
        self.at = at
        self.receivedAt = receivedAt
        self.links = links
        self.details = details
        self.via = via
    }
}
