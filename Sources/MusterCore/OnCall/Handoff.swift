import Foundation

/// A moment when on-call duty passes from one person to another.
public struct Handoff: Codable, Sendable, Equatable {
    public var at: Date
    /// Who was on call until `at`; nil when nobody was.
    public var outgoing: String?
    /// Who is on call from `at`; nil when nobody is.
    public var incoming: String?

    public init(at: Date, outgoing: String?, incoming: String?) {
        self.at = at
        self.outgoing = outgoing
        self.incoming = incoming
    }
}

extension Schedule {
    /// The changes of hands in `(after, through]`, oldest first.
    public func handoffs(after start: Date, through end: Date) -> [Handoff] {
        guard start < end else { return [] }
        // One second past `end` so a change exactly at `end` is a cut inside the range.
        let shifts = shifts(from: start, to: end.addingTimeInterval(1))
        return zip(shifts, shifts.dropFirst()).compactMap { before, after in
            after.start <= end ? Handoff(at: after.start, outgoing: before.user, incoming: after.user) : nil
        }
    }

    /// The shift before the one running at `date`, looking back at most `horizon` seconds.
    public func previousShift(before date: Date, horizon: TimeInterval = 90 * 86_400) -> Shift? {
        let recent = shifts(from: date.addingTimeInterval(-horizon), to: date.addingTimeInterval(1))
        return recent.count >= 2 ? recent[recent.count - 2] : nil
    }
}

/// A short line about an incident, for summaries.
public struct IncidentBrief: Codable, Sendable, Equatable {
    public var reference: String
    public var title: String
    public var severity: String
    public var status: IncidentStatus
    public var detectedAt: Date

    public init(_ incident: Incident) {
        reference = incident.reference
        title = incident.title
        severity = incident.severity
        status = incident.status
        detectedAt = incident.detectedAt
    }
}

/// What the person taking over on-call needs to know: the shift that ended, and the incidents.
public struct HandoffSummary: Codable, Sendable, Equatable {
    public var schedule: String
    public var scheduleName: String
    public var at: Date
    /// The shift before the one running at `at`.
    public var previousShift: Shift?
    /// Who takes over (who is on call at `at`).
    public var incoming: String?
    /// When the incoming person hands over in turn, if within 90 days.
    public var nextHandoff: Date?
    /// Incidents still open, newest first.
    public var openIncidents: [IncidentBrief]
    /// Incidents detected during the previous shift.
    public var duringShift: [IncidentBrief]
    /// Services whose escalation policy pages this schedule; the incidents are theirs. Empty when
    /// no service pages the schedule, and then the incidents are everyone's.
    public var services: [String]
    /// The incoming person's open action items, soonest due first; nil in summaries written before
    /// action items existed.
    public var actionItems: [ActionItem]?

    public init(
        schedule: String, scheduleName: String, at: Date, previousShift: Shift?, incoming: String?, nextHandoff: Date?,
        openIncidents: [IncidentBrief], duringShift: [IncidentBrief], services: [String]
    ) {
        self.schedule = schedule
        self.scheduleName = scheduleName
        self.at = at
        self.previousShift = previousShift
        self.incoming = incoming
        self.nextHandoff = nextHandoff
        self.openIncidents = openIncidents
        self.duringShift = duringShift
        self.services = services
    }

    /// The summary as plain text, for email and chat.
    public var text: String {
        var lines = ["On-call handoff for \(scheduleName) (\(schedule)) at \(at.iso8601)."]
        if let previousShift {
            lines.append(
                "Previous shift: \(previousShift.user ?? "nobody"), \(previousShift.start.iso8601) to \(previousShift.end.iso8601).")
        }
        lines.append("Now on call: \(incoming ?? "nobody")" + (nextHandoff.map { ", until \($0.iso8601)." } ?? "."))
        func list(_ title: String, _ incidents: [IncidentBrief]) {
            lines.append("")
            lines.append(incidents.isEmpty ? "\(title): none." : "\(title) (\(incidents.count)):")
            for incident in incidents {
                lines.append("- \(incident.reference) [\(incident.severity), \(incident.status.rawValue)] \(incident.title)")
            }
        }
        list("Open incidents", openIncidents)
        list("Incidents during the previous shift", duringShift)
        if let items = actionItems, !items.isEmpty {
            lines.append("")
            lines.append("Your open action items (\(items.count)):")
            for item in items {
                let due = item.dueAt.map { ", due \($0.iso8601)\(item.isOverdue(at: at) ? " (overdue)" : "")" } ?? ""
                lines.append("- [\(item.priority.rawValue)] \(item.title)\(due)\(item.incidentReference.map { ", from \($0)" } ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
