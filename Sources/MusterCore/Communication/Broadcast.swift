import Foundation

/// What a message to stakeholders is about.
public enum BroadcastKind: String, StrictStringEnum {
    /// The incident is declared (or opened from alerts at a severity that announces).
    case announcement
    /// An internal status update, as published.
    case update
    case severity
    case resolved
    case reopened
}

/// One message to a stakeholder group or announcement channel about an incident; the outbox
/// delivers it to each member once.
public struct Broadcast: Codable, Sendable, Equatable {
    public var kind: BroadcastKind
    /// The id of the group it is for.
    public var group: String
    public var subject: String
    public var text: String

    public init(kind: BroadcastKind, group: String, subject: String, text: String) {
        self.kind = kind
        self.group = group
        self.subject = subject
        self.text = text
    }
}

/// What an incident's new timeline entries tell its stakeholders.
public struct BroadcastPlan: Sendable, Equatable {
    /// Each message with the group it goes to, in timeline order.
    public var broadcasts: [Broadcast]
    /// Whether the incident has been announced, this plan included.
    public var announced: Bool
}

extension Incident {
    /// Decides, from the timeline entries written since the last plan, which groups hear what.
    /// An incident is announced once: when a person declares it, or when it is (or becomes) at
    /// least as severe as `announceAlertsAt` after opening from alerts. A group hears only of what
    /// was recorded after it was created, at the severities and services it follows.
    public func broadcasts(
        after entries: [TimelineEntry], to groups: [StakeholderGroup], scheme: SeverityScheme, announceAlertsAt: String?,
        announced alreadyAnnounced: Bool
    ) -> BroadcastPlan {
        var announced = alreadyAnnounced
        var level = entries.first(where: { $0.kind == .severityChange }).flatMap { $0.details["from"] } ?? severity
        var broadcasts: [Broadcast] = []
        for entry in entries {
            if entry.kind == .severityChange, let to = entry.details["to"] { level = to }
            let message: (kind: BroadcastKind, modes: Set<StakeholderMode>)?
            switch entry.kind {
            case .declared:
                if let opened = entry.details["severity"] { level = opened }
                message = announcing(at: level, threshold: announceAlertsAt, scheme: scheme, announced: &announced)
            case .severityChange:
                message =
                    announcing(at: level, threshold: announceAlertsAt, scheme: scheme, announced: &announced)
                    ?? (announced ? (.severity, [.updates, .summary]) : nil)
            case .updatePublished where UpdateAudience(rawValue: entry.details["audience"] ?? "")?.reachesInternal == true:
                message = announced ? (.update, [.updates]) : nil
            case .statusChange where entry.details["to"] == IncidentStatus.resolved.rawValue:
                message = announced ? (.resolved, [.updates, .summary]) : nil
            case .statusChange where entry.details["reopened"] == "true":
                message = announced ? (.reopened, [.updates, .summary]) : nil
            default:
                message = nil
            }
            guard let message else { continue }
            for group in groups
            where message.modes.contains(group.mode) && entry.recordedAt >= group.createdAt
                && group.follows(services: services, severity: level, scheme: scheme)
            {
                let (subject, text) = words(for: message.kind, entry: entry, severity: level, scheme: scheme)
                broadcasts.append(Broadcast(kind: message.kind, group: group.id, subject: subject, text: text))
            }
        }
        return BroadcastPlan(broadcasts: broadcasts, announced: announced)
    }

    /// The announcement, for every kind of group, when this moment is the one that announces.
    private func announcing(
        at level: String, threshold: String?, scheme: SeverityScheme, announced: inout Bool
    ) -> (kind: BroadcastKind, modes: Set<StakeholderMode>)? {
        guard !announced else { return nil }
        if groupKey != nil {
            guard let threshold, let limit = scheme.rank(of: threshold), let rank = scheme.rank(of: level), rank <= limit else {
                return nil
            }
        }
        announced = true
        return (.announcement, [.updates, .summary, .announcements])
    }

    private func words(for kind: BroadcastKind, entry: TimelineEntry, severity level: String, scheme: SeverityScheme) -> (String, String) {
        let tag = "[\(level)] \(reference)"
        switch kind {
        case .announcement:
            let how = entry.kind == .declared ? "declared" : "now \(level)"
            return ("\(tag) \(how): \(title)", facts(severity: level, scheme: scheme, opening: announcementLine(entry, level: level)))
        case .update:
            let phase = entry.details["phase"].map { ", \($0)" } ?? ""
            // The internal template already carries the facts; an update to both is in customers' words.
            let text =
                entry.details["audience"] == UpdateAudience.internal.rawValue
                ? entry.text : facts(severity: level, scheme: scheme, opening: entry.text)
            return ("\(tag): internal update\(phase)", text)
        case .severity:
            let from = entry.details["from"] ?? "?"
            let direction = (scheme.rank(of: level) ?? 0) < (scheme.rank(of: from) ?? 0) ? "raised" : "lowered"
            let why = entry.details["reason"].map { " Why: \($0)" } ?? ""
            return (
                "\(tag): severity \(direction) from \(from) to \(level)",
                facts(severity: level, scheme: scheme, opening: "Severity \(direction) from \(from) to \(level).\(why)")
            )
        case .resolved:
            let end = resolvedAt ?? entry.at
            let start = impactStartedAt ?? detectedAt
            let lasted = DurationText.human(max(0, end.timeIntervalSince(start)))
            var lines = [
                "\(reference) is resolved. It lasted \(lasted), from \(RFC3339.format(start)) to \(RFC3339.format(end))"
                    + (impactStartedAt == nil ? " (counted from detection)." : ".")
            ]
            if let resolution { lines.append("Resolution: \(resolution)") }
            if let rootCause { lines.append("Root cause: \(rootCause)") }
            return ("\(tag): resolved after \(lasted)", facts(severity: level, scheme: scheme, opening: lines.joined(separator: "\n")))
        case .reopened:
            return (
                "\(tag): reopened",
                facts(severity: level, scheme: scheme, opening: "\(reference) was resolved and is open again: \(entry.text)")
            )
        }
    }

    private func announcementLine(_ entry: TimelineEntry, level: String) -> String {
        if entry.kind == .declared {
            return groupKey == nil ? "\(entry.author) declared \(reference) at \(level)." : "\(reference) opened from alerts at \(level)."
        }
        return "\(reference) was raised from \(entry.details["from"] ?? "?") to \(level)."
    }

    /// The facts every message repeats, so each one can be read alone.
    private func facts(severity level: String, scheme: SeverityScheme, opening: String?) -> String {
        let label = (try? scheme.level(named: level)).map { " (\($0.label))" } ?? ""
        var lines = opening.map { [$0, ""] } ?? []
        lines += [
            title,
            "Severity: \(level)\(label)",
            "Status: \(status.rawValue)",
            "Services: \(services.isEmpty ? "none named" : services.joined(separator: ", "))",
            "Impact: \(impact.words)",
            "Commander: \(holders(of: .commander).first ?? "not assigned yet")",
        ]
        if let channel { lines.append("Chat: \(channel)") }
        if let bridge { lines.append("Call: \(bridge)") }
        return lines.joined(separator: "\n")
    }
}
