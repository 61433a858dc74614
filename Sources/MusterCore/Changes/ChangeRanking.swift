import Foundation

/// A change that may have set an incident off, with how likely and why.
public struct SuspectChange: Sendable, Equatable {
    public enum Relation: String, Sendable {
        /// The change was made to a service the incident names.
        case sameService = "same_service"
        /// The change was made to a service one of the incident's services depends on.
        case dependency
    }

    public var change: ChangeEvent
    public var relation: Relation
    /// How long before the incident's start the change happened.
    public var lead: TimeInterval
    /// Between 0 and 1; higher is likelier.
    public var score: Double
    /// The reason in words: "same service, 8 min before impact".
    public var reason: String
}

/// Ranks the changes made in the hours before an incident: a change to the incident's own
/// services outranks one to a service they depend on, and a recent one an older one. The first
/// question of every investigation is "what changed?"; this answers it from what was reported.
public struct ChangeRanking: Sendable {
    /// How far back from the incident's start a change is still a suspect.
    public var window: TimeInterval

    public init(window: TimeInterval = 4 * 3_600) {
        self.window = window
    }

    /// The moment the changes are measured against, and its name: the impact's start, else
    /// the detection.
    public static func start(of incident: Incident) -> (Date, String) {
        incident.impactStartedAt.map { ($0, "impact") } ?? (incident.detectedAt, "detection")
    }

    /// The span of time in which changes to `incident`'s services are suspects.
    public func span(of incident: Incident) -> (from: Date, to: Date) {
        let (start, _) = Self.start(of: incident)
        return (start.addingTimeInterval(-window), start)
    }

    /// `changes` that fall in the window before `incident` started, on its services or on those
    /// they depend on (`dependencies`: service → the services it depends on), likeliest first.
    public func rank(_ changes: [ChangeEvent], for incident: Incident, dependencies: [String: [String]] = [:]) -> [SuspectChange] {
        let (start, label) = Self.start(of: incident)
        let own = Set(incident.services)
        var dependedOn: [String: String] = [:]
        for service in incident.services {
            for dependency in dependencies[service] ?? [] where !own.contains(dependency) && dependedOn[dependency] == nil {
                dependedOn[dependency] = service
            }
        }
        let ranked = changes.compactMap { change -> SuspectChange? in
            let lead = start.timeIntervalSince(change.at)
            guard lead >= 0, lead <= window else { return nil }
            let relation: SuspectChange.Relation
            let said: String
            if own.contains(change.service) {
                relation = .sameService
                said = "same service"
            } else if let dependent = dependedOn[change.service] {
                relation = .dependency
                said = "\(dependent) depends on \(change.service)"
            } else {
                return nil
            }
            let recency = 1 - lead / max(window, 1)
            let weight = relation == .sameService ? 1.0 : 0.6
            return SuspectChange(
                change: change, relation: relation, lead: lead, score: weight * (0.25 + 0.75 * recency),
                reason: "\(said), \(Self.words(lead)) before \(label)")
        }
        return ranked.sorted { ($0.score, $0.change.at) > ($1.score, $1.change.at) }
    }

    /// A lead in minutes or hours and minutes: "8 min", "2 h 05 min", "at the same minute".
    static func words(_ lead: TimeInterval) -> String {
        let minutes = Int(lead / 60)
        if minutes == 0 { return "under a minute" }
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h \(String(format: "%02d", minutes % 60)) min"
    }
}

extension Incident {
    /// The timeline entry that marks `change` as a suspect: a finding that names the change, so
    /// that the post-mortem's timeline carries it too.
    public func suspect(_ change: ChangeEvent, reason: String?, by author: String, at now: Date) throws(IncidentError) -> TimelineDraft {
        guard status != .closed else { throw .closed }
        var text = "Suspect change: \(change.summary) (\(change.service), \(RFC3339.format(change.at)))"
        if let reason, !reason.isEmpty { text += ": \(reason)" }
        try TextRules.require(text, field: "reason", max: IncidentDeclaration.maxTextLength)
        return TimelineDraft(
            kind: .finding, at: now, author: author, text: text,
            details: ["change": change.id.uuidString, "service": change.service, "changeAt": RFC3339.format(change.at)])
    }
}
