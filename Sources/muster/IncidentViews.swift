import Foundation
import MusterCore

/// An incident as the API returns it: the record's fields plus `targets`.
struct IncidentWithTargets: Decodable {
    var incident: Incident
    var targets: ResponseTargets?
    var updateClocks: [UpdateClock]
    /// How a mitigation hook the request called answered.
    var hook: MitigationHookAnswer?

    enum CodingKeys: String, CodingKey { case targets, updateClocks, hook }

    init(from decoder: any Decoder) throws {
        incident = try Incident(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        targets = try container.decodeIfPresent(ResponseTargets.self, forKey: .targets)
        updateClocks = try container.decodeIfPresent([UpdateClock].self, forKey: .updateClocks) ?? []
        hook = try container.decodeIfPresent(MitigationHookAnswer.self, forKey: .hook)
    }
}

struct IncidentDetail: Decodable {
    var incident: IncidentWithTargets
    var timeline: [TimelineEntry]
}

struct IncidentList: Decodable {
    var items: [IncidentWithTargets]
    var total: Int
    var limit: Int
    var offset: Int
}

/// Text renderings of incidents for the terminal.
enum IncidentText {
    static func summaryLine(_ view: IncidentWithTargets) -> String {
        let incident = view.incident
        return "\(incident.reference) [\(incident.severity), \(incident.status.rawValue)] \(incident.title)"
    }

    static func detail(_ detail: IncidentDetail) -> String {
        let incident = detail.incident.incident
        var lines = [summaryLine(detail.incident)]
        if !incident.summary.isEmpty { lines.append(incident.summary) }
        lines.append("")
        var facts: [(String, String)] = [
            ("Services", incident.services.isEmpty ? "-" : incident.services.joined(separator: ", ")),
            ("Declared by", incident.declaredBy),
            ("Detected", Display.date(incident.detectedAt)),
        ]
        if let channel = incident.channel { facts.append(("Chat channel", channel)) }
        if let bridge = incident.bridge { facts.append(("Call bridge", bridge)) }
        if let at = incident.impactStartedAt { facts.append(("Impact started", Display.date(at))) }
        if let at = incident.acknowledgedAt { facts.append(("Acknowledged", Display.date(at))) }
        if let at = incident.mitigatedAt { facts.append(("Mitigated", Display.date(at))) }
        if let at = incident.resolvedAt { facts.append(("Resolved", Display.date(at))) }
        if let at = incident.closedAt { facts.append(("Closed", Display.date(at))) }
        if let counts = incident.alertsLeftOut {
            let total = counts.values.reduce(0, +)
            facts.append(
                ("Alerts left out", "\(total), by the sender's max_alerts (\(counts.count) \(counts.count == 1 ? "group" : "groups"))"))
        }
        facts.append(("Acknowledge target", Display.target(detail.incident.targets?.acknowledge)))
        facts.append(("Resolve target", Display.target(detail.incident.targets?.resolve)))
        for clock in detail.incident.updateClocks {
            let when = clock.late ? "\(DurationText.human(clock.seconds)) late" : "due in \(DurationText.human(clock.seconds))"
            facts.append(("\(clock.audience.capitalized) update", "\(when) (\(Display.date(clock.dueAt)))"))
        }
        for role in IncidentRole.allCases {
            let holders = incident.holders(of: role)
            if !holders.isEmpty { facts.append((role.title.capitalized, holders.joined(separator: ", "))) }
        }
        if let cause = incident.rootCause { facts.append(("Root cause", cause)) }
        if let resolution = incident.resolution { facts.append(("Resolution", resolution)) }
        let width = facts.map(\.0.count).max() ?? 0
        lines += facts.map { "\($0.0.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.1)" }
        lines.append("")
        lines.append("Timeline:")
        for entry in detail.timeline {
            var text = entry.text
            if entry.kind == .hypothesis, let state = entry.details["state"] { text += " [\(state)]" }
            if entry.kind == .action, let result = entry.details["result"] { text += " [\(result)]" }
            // An update's further lines stay under it.
            text = text.replacingOccurrences(of: "\n", with: "\n      ")
            lines.append(
                "  \(Display.date(entry.at))  \(entry.kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(entry.author): \(text)"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// The update clock that falls due first: `internal in 4m 10s`, `external 7m 02s late`, or `-`.
    static func nextUpdate(_ clocks: [UpdateClock]) -> String {
        guard let clock = clocks.min(by: { $0.dueAt < $1.dueAt }) else { return "-" }
        return clock.late
            ? "\(clock.audience) \(DurationText.human(clock.seconds)) late" : "\(clock.audience) in \(DurationText.human(clock.seconds))"
    }

    static func table(_ list: IncidentList) -> String {
        let rows = list.items.map { view in
            [
                view.incident.reference, view.incident.severity, view.incident.status.rawValue,
                Display.date(view.incident.detectedAt), Display.target(view.targets?.resolve), nextUpdate(view.updateClocks),
                view.incident.services.joined(separator: ","), Display.truncate(view.incident.title, 50),
            ]
        }
        let table = Table(
            header: ["ID", "SEV", "STATUS", "DETECTED", "RESOLVE TARGET", "NEXT UPDATE", "SERVICES", "TITLE"], rows: rows
        ).render()
        let shown = list.items.isEmpty ? "" : "\n\(list.offset + 1)–\(list.offset + list.items.count) of \(list.total)"
        return table + shown
    }
}
