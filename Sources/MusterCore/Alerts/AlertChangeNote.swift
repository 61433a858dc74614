import Foundation

/// The timeline entry for alerts that changed the same way on one incident at the same moment.
///
/// An alert storm brings hundreds of alerts into an incident within seconds; one entry per alert
/// would bury the responders' own entries, and cost a stored row each. Alerts that join (or fire
/// again, or resolve) together share one entry that counts them, names the most common summaries
/// (and sources, as its author), and lists every alert's id and dedup key, up to `capacity` alerts.
public struct AlertChangeNote: Sendable, Equatable {
    /// Most alerts one entry lists; a larger group continues in the next entry.
    public static let capacity = 100
    /// How many distinct summaries (and sources) an entry names before "and N more".
    static let named = 3

    /// What an entry says of each alert; the note keeps only this, not whole alerts, since a
    /// storm's notes hold hundreds of them inside the one serial writer.
    public struct Member: Sendable, Equatable {
        public var id: UUID
        public var dedupKey: String
        public var summary: String
        public var source: String
        public var severity: AlertSeverity

        public init(_ alert: Alert) {
            id = alert.id
            dedupKey = alert.dedupKey
            summary = alert.summary
            source = alert.source
            severity = alert.severity
        }
    }

    public let change: AlertChange
    public let at: Date
    public private(set) var alerts: [Member]

    /// A note of one alert's change.
    public init(_ alert: Alert, change: AlertChange, at now: Date) {
        self.change = change
        at = now
        alerts = [Member(alert)]
    }

    /// Adds the other note's alerts when they changed the same way at the same moment and fit;
    /// returns whether it did.
    public mutating func absorb(_ other: AlertChangeNote) -> Bool {
        guard other.change == change, other.at == at, alerts.count + other.alerts.count <= Self.capacity else { return false }
        alerts += other.alerts
        return true
    }

    /// The entry to store.
    public var draft: TimelineDraft {
        var ids = JSONWriter(capacity: alerts.count * 39 + 2)
        ids.array(alerts.lazy.map(\.id.text))
        var keys = JSONWriter(capacity: alerts.count * 24 + 2)
        keys.array(alerts.lazy.map(\.dedupKey))
        let details = ["change": change.rawValue, "count": String(alerts.count), "alerts": ids.text, "dedupKeys": keys.text]
        return TimelineDraft(
            kind: .alert, at: at, author: Self.mostCommon(alerts.map(\.source), counted: false), text: text, details: details)
    }

    private var verb: String {
        switch change {
        case .refired: "fired again"
        case .resolved: "resolved"
        case .released: alerts.count > 1 ? "joined when their silence ended" : "joined when its silence ended"
        default: "joined"
        }
    }

    private var text: String {
        guard alerts.count > 1 else {
            let alert = alerts[0]
            return change == .resolved
                ? "Alert resolved: \(alert.summary)"
                : "Alert \(verb) (\(alert.severity.rawValue)): \(alert.summary)"
        }
        return "\(alerts.count) alerts \(verb) (\(severities)): \(Self.mostCommon(alerts.map(\.summary), counted: true))"
    }

    /// "critical" when all share one level, else "critical 3, warning 1", most severe first.
    private var severities: String {
        var counts: [AlertSeverity: Int] = [:]
        for alert in alerts { counts[alert.severity, default: 0] += 1 }
        if counts.count == 1 { return counts.keys.first!.rawValue }
        return AlertSeverity.allCases.compactMap { level in counts[level].map { "\(level.rawValue) \($0)" } }.joined(separator: ", ")
    }

    /// The most frequent few distinct texts, the earlier first among equals (with their counts
    /// when repeated, if `counted`), then how many are left: "a (×3); b; c; and 4 more".
    private static func mostCommon(_ texts: [String], counted: Bool) -> String {
        // One hash per text: the counts live in an array beside `order`, so ranking compares
        // integers instead of hashing both texts again for every comparison.
        var order: [String] = []
        var counts: [Int] = []
        var position: [String: Int] = [:]
        position.reserveCapacity(texts.count)
        for text in texts {
            if let known = position[text] {
                counts[known] += 1
            } else {
                position[text] = order.count
                order.append(text)
                counts.append(1)
            }
        }
        let ranked = order.indices.sorted { first, second in
            counts[first] != counts[second] ? counts[first] > counts[second] : first < second
        }
        let shown = ranked.prefix(named)
        var parts = shown.map { counted && counts[$0] > 1 ? "\(order[$0]) (×\(counts[$0]))" : order[$0] }
        let rest = counted ? texts.count - shown.reduce(0) { $0 + counts[$1] } : order.count - shown.count
        if rest > 0 { parts.append("and \(rest) more") }
        return parts.joined(separator: "; ")
    }
}
