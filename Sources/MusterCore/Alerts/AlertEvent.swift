import Foundation

/// What a sender asks for about one alert.
public enum AlertAction: String, StrictStringEnum {
    case trigger, acknowledge, resolve
}

/// A link attached to an alert (runbook, dashboard, graph).
public struct AlertLink: Codable, Sendable, Equatable, Hashable {
    public var href: String
    public var text: String?

    public init(href: String, text: String? = nil) {
        self.href = href
        self.text = text
    }
}

/// One alert event in Muster's own terms, whatever format it arrived in.
public struct AlertEvent: Codable, Sendable, Equatable {
    public var action: AlertAction
    /// Identifies the alert across events; same key → same alert.
    public var dedupKey: String
    public var summary: String
    public var source: String
    public var severity: AlertSeverity
    public var labels: [String: String]
    public var annotations: [String: String]
    public var links: [AlertLink]
    /// When the condition began, as the sender saw it.
    public var startsAt: Date?
    /// When the condition ended, for resolve events.
    public var endsAt: Date?

    public init(
        action: AlertAction, dedupKey: String, summary: String, source: String, severity: AlertSeverity,
        labels: [String: String] = [:], annotations: [String: String] = [:], links: [AlertLink] = [],
        startsAt: Date? = nil, endsAt: Date? = nil
    ) {
        self.action = action
        self.dedupKey = dedupKey
        self.summary = summary
        self.source = source
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
        self.links = links
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    public static let maxKeyLength = 255
    public static let maxSummaryLength = 1_024
    public static let maxLabels = 64

    /// Checks sizes so one hostile event cannot bloat the database.
    public func validate(field prefix: String = "") throws(IncidentError) {
        if dedupKey.isEmpty || TextRules.isLonger(dedupKey, than: Self.maxKeyLength) {
            throw .invalidField(field: prefix + "dedup_key", reason: "must be 1–\(Self.maxKeyLength) characters.")
        }
        if action == .trigger {
            try TextRules.require(summary, field: prefix + "summary", max: Self.maxSummaryLength)
        }
        for (name, map) in [("labels", labels), ("annotations", annotations)] {
            if map.count > Self.maxLabels {
                throw .invalidField(field: prefix + name, reason: "may hold at most \(Self.maxLabels) entries.")
            }
            for (key, value) in map where Self.isTooLong(key: key, value: value) {
                throw .invalidField(
                    field: prefix + name,
                    reason:
                        "has an entry that is too long ('\(key.prefix(40))'): names may have \(Self.maxLabelKeyLength) characters, values \(Self.maxLabelValueLength)."
                )
            }
        }
        if links.count > Self.maxLinks { throw .invalidField(field: prefix + "links", reason: "may hold at most \(Self.maxLinks) links.") }
    }
}
