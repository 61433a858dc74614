import Foundation

/// A section of a post-mortem as written: its Markdown text.
public struct PostmortemSection: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var body: String

    public init(id: String, title: String, body: String) {
        self.id = id
        self.title = title
        self.body = body
    }
}

/// Drafts a post-mortem from an incident's record: the summary and impact from its figures and
/// impact fields, the timeline from its key moments, the causes and resolution from what
/// responders recorded, and the rest from the template's prompts. Pure: the same record always
/// gives the same draft.
public struct PostmortemDraft: Sendable {
    public var incident: Incident
    public var timeline: [TimelineEntry]
    public var figures: IncidentFigures
    /// Entries responders starred (added to the timeline) or unstarred (left out).
    public var starred: Set<UUID>
    public var unstarred: Set<UUID>

    public init(
        incident: Incident, timeline: [TimelineEntry], figures: IncidentFigures, starred: Set<UUID> = [], unstarred: Set<UUID> = []
    ) {
        self.incident = incident
        self.timeline = timeline
        self.figures = figures
        self.starred = starred
        self.unstarred = unstarred
    }

    /// The draft, one section per section of `template`, in its order.
    public func sections(_ template: PostmortemTemplate = .standard) -> [PostmortemSection] {
        template.sections.map { section in
            PostmortemSection(id: section.id, title: section.title, body: body(of: section) ?? "_\(section.prompt)_")
        }
    }

    /// The moments the timeline section lists: the first alert, the declaration, acknowledgement,
    /// severity and role changes, hypotheses confirmed or ruled out, changes marked as suspects,
    /// decisions, actions with their results, published updates, mitigation, resolution and
    /// reopening; plus what was starred,
    /// less what was unstarred; in the order they happened.
    public var keyMoments: [TimelineEntry] {
        var firstAlertSeen = false
        let picked = timeline.filter { entry in
            if unstarred.contains(entry.id) { return false }
            if starred.contains(entry.id) { return true }
            switch entry.kind {
            case .alert:
                defer { firstAlertSeen = true }
                return !firstAlertSeen
            case .declared, .severityChange, .roleChange, .decision, .action, .updatePublished: return true
            case .hypothesis: return ["confirmed", "ruled_out"].contains(entry.details["state"] ?? "")
            case .finding: return entry.details["change"] != nil
            case .statusChange:
                return ["acknowledged", "monitoring", "resolved"].contains(entry.details["to"] ?? "") || entry.details["reopened"] != nil
            default: return false
            }
        }
        return picked.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    private func body(of section: PostmortemTemplate.Section) -> String? {
        switch section.id {
        case "summary": summary
        case "impact": impact
        case "timeline": timelineTable
        case "root-cause": incident.rootCause.map { "\($0)\n\n_\(section.prompt)_" }
        case "contributing-factors": hypotheses
        case "what-went-well": went(well: true).map { $0 + "\n\n_\(section.prompt)_" }
        case "what-could-be-improved": went(well: false).map { $0 + "\n\n_\(section.prompt)_" }
        default: nil
        }
    }

    private var summary: String {
        let services = incident.services.isEmpty ? "" : " on \(incident.services.joined(separator: ", "))"
        var text = "\(incident.reference), \(incident.severity)\(services): \(incident.title)."
        if let start = figures.duration.from {
            text += " From \(Self.time(start)) UTC"
            text += figures.duration.seconds.map { " for \(DurationText.human($0))" } ?? ", still open"
            text += "."
        }
        if let change = figures.detectedAfterChange?.seconds {
            text += " It was detected \(DurationText.human(change)) after the triggering change."
        }
        if let detect = figures.timeToDetect.seconds {
            text += " Detection took \(DurationText.human(detect)) from the start of the impact."
        }
        if let resolution = incident.resolution, !resolution.isEmpty { text += " It was resolved by: \(resolution)" }
        return text
    }

    private var impact: String {
        var lines: [String] = []
        func span(_ label: String, _ span: IncidentSpan) {
            guard let seconds = span.seconds else { return }
            lines.append(
                "- \(label): \(DurationText.human(seconds)) (\(span.fromLabel) to \(span.toLabel)\(span.fallback.map { "; \($0)" } ?? ""))")
        }
        span("Duration", figures.duration)
        span("Time to detect", figures.timeToDetect)
        span("Time to acknowledge", figures.timeToAcknowledge)
        span("Time to mitigate", figures.timeToMitigate)
        span("Time to resolve", figures.timeToResolve)
        let impact = incident.impact
        if let count = impact.usersAffectedCount { lines.append("- Users affected: \(count)") }
        if let percent = impact.usersAffectedPercent { lines.append("- Users affected: \(percent) %") }
        if let users = impact.userImpact { lines.append("- User impact: \(users.rawValue)") }
        if let business = impact.businessImpact {
            lines.append("- Business impact: \(business.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        for (flag, label) in [
            (impact.customerFacing, "Customers could see it"), (impact.dataLoss, "Data was lost"),
            (impact.security, "Security was involved"),
        ]
        where flag {
            lines.append("- \(label)")
        }
        lines.append("- Alerts: \(figures.alerts); pages sent: \(figures.pages)")
        if !figures.people.isEmpty { lines.append("- People involved: \(figures.people.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }

    private var timelineTable: String {
        let rows = keyMoments.map { entry in
            "| \(Self.time(entry.at)) | \(Self.cell(Self.moment(entry))) |"
        }
        return (["| Time (UTC) | Event |", "|---|---|"] + rows).joined(separator: "\n")
    }

    /// A timeline entry as one line of the post-mortem's timeline.
    public static func moment(_ entry: TimelineEntry) -> String {
        switch entry.kind {
        case .alert: return "First alert: \(entry.text)"
        case .hypothesis:
            let state = ["confirmed": " confirmed", "ruled_out": " ruled out"][entry.details["state"] ?? ""] ?? ""
            return "Hypothesis\(state): \(entry.text)"
        case .decision: return "Decision: \(entry.text)"
        case .action:
            let result = entry.details["result"] ?? "pending"
            guard let kind = entry.details["mitigation"].flatMap(MitigationKind.init(rawValue:)) else { return "Action (\(result)): \(entry.text)" }
            let target = entry.details["target"].map { " of \($0)" } ?? ""
            return "Mitigation, \(kind.label.lowercased())\(target) (\(result)): \(entry.text)"
        case .updatePublished: return "Update published (\(entry.details["audience"] ?? "internal")): \(entry.text.prefix(200))"
        default: return entry.text
        }
    }

    private var hypotheses: String? {
        let settled = timeline.filter { $0.kind == .hypothesis && $0.details["state"] == "confirmed" }
        guard !settled.isEmpty else { return nil }
        return
            (settled.map { "- \($0.text) (confirmed during the response)" } + [
                "", "_Add the conditions that made it worse or slower to fix._",
            ])
            .joined(separator: "\n")
    }

    /// Facts from the figures for what went well (targets met) or could be improved (targets breached).
    private func went(well: Bool) -> String? {
        guard let targets = figures.targets else { return nil }
        var lines: [String] = []
        for (name, target) in [("acknowledge", targets.acknowledge), ("resolve", targets.resolve)] {
            if well, target.state == .met {
                lines.append("- The \(name) target of \(DurationText.human(Double(target.targetSeconds))) was met.")
            } else if !well, target.state == .breached {
                lines.append(
                    "- The \(name) target of \(DurationText.human(Double(target.targetSeconds))) was missed by \(DurationText.human(target.overdueSeconds))."
                )
            }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// `2025-01-25 14:23`, in UTC.
    static func time(_ date: Date) -> String {
        String(RFC3339.format(date).replacingOccurrences(of: "T", with: " ").prefix(16))
    }

    /// Text safe in one Markdown table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
