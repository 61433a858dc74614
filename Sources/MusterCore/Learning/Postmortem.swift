import Foundation

/// Where a post-mortem stands.
public enum PostmortemState: String, StrictStringEnum {
    case draft
    case inReview = "in_review"
    case published
}

/// A publication over open blameless findings: who decided, why, and how many findings there were.
public struct BlamelessOverride: Codable, Sendable, Equatable {
    public var reason: String
    public var by: String
    public var at: Date
    public var findings: Int
}

/// A correction made after publication, kept beside what it replaced.
public struct PostmortemRevision: Codable, Sendable, Equatable {
    public var section: String
    public var before: String
    public var after: String
    public var note: String
    public var by: String
    public var at: Date
}

/// The blameless write-up of an incident: its sections, drafted from the record and edited by the
/// responders, reviewed and published; read-only once published, with corrections kept as revisions.
public struct Postmortem: Codable, Sendable, Equatable {
    public var id: UUID
    public var incidentID: UUID
    public var incidentReference: String
    public var title: String
    public var state: PostmortemState
    public var owner: String
    public var reviewers: [String]
    public var sections: [PostmortemSection]
    /// Whether the incident's severity requires one.
    public var required: Bool
    /// When it should be published.
    public var dueAt: Date
    /// When the team looks back at its action items.
    public var followUpAt: Date
    /// Timeline entries starred into, or unstarred out of, its timeline.
    public var starred: [UUID]
    public var unstarred: [UUID]
    public var createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date?
    public var override: BlamelessOverride?
    public var revisions: [PostmortemRevision]
    /// Which reminders went to the owner, so each goes once.
    public var remindedDueSoon: Bool?
    public var remindedOverdue: Bool?
    public var remindedFollowUp: Bool?
    /// The reviewers already told it waits for their review.
    public var reviewersTold: [String]?

    /// Reviewers named since the last message went out, the owner excepted.
    public var reviewersToTell: [String] {
        reviewers.filter { $0 != owner && !(reviewersTold ?? []).contains($0) }
    }

    public static let maxSectionLength = 50_000

    public init(
        id: UUID, incident: Incident, sections: [PostmortemSection], owner: String, required: Bool, dueAt: Date,
        followUpAt: Date, at now: Date
    ) {
        self.id = id
        incidentID = incident.id
        incidentReference = incident.reference
        title = incident.title
        state = .draft
        self.owner = owner
        reviewers = []
        self.sections = sections
        self.required = required
        self.dueAt = dueAt
        self.followUpAt = followUpAt
        starred = []
        unstarred = []
        createdAt = now
        updatedAt = now
        revisions = []
    }

    /// Replaces a section's text. A published post-mortem takes it only as a correction with a
    /// note, kept as a revision.
    public mutating func edit(section id: String, body: String, note: String?, by author: String, at now: Date) throws(IncidentError) {
        guard let index = sections.firstIndex(where: { $0.id == id }) else {
            throw .invalidField(
                field: "section",
                reason: "'\(id.prefix(60))' is not a section of this post-mortem: \(sections.map(\.id).joined(separator: ", ")).")
        }
        try TextRules.limit(body, field: "body", max: Self.maxSectionLength)
        if state == .published {
            let why = note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !why.isEmpty else {
                throw .invalidField(
                    field: "note", reason: "is required: a published post-mortem is changed only by a correction that says why.")
            }
            revisions.append(PostmortemRevision(section: id, before: sections[index].body, after: body, note: why, by: author, at: now))
        }
        sections[index].body = body
        updatedAt = now
    }

    /// Moves it to review, naming who reviews it.
    public mutating func submit(reviewers: [String], at now: Date) throws(IncidentError) {
        guard state == .draft else { throw .invalidField(field: "state", reason: "is \(state.rawValue); only a draft goes to review.") }
        self.reviewers = reviewers
        state = .inReview
        updatedAt = now
    }

    /// Publishes it. Open blameless findings stop it unless `override` gives a reason, which is kept.
    public mutating func publish(findings: Int, override reason: String?, by author: String, at now: Date) throws(IncidentError) {
        guard state != .published else { throw .invalidField(field: "state", reason: "is published already; correct a section instead.") }
        if findings > 0 {
            let why = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !why.isEmpty else {
                throw .invalidField(
                    field: "override",
                    reason:
                        "is required: the blameless check has \(findings) open finding\(findings == 1 ? "" : "s"); rewrite them, or give the reason to publish as it is."
                )
            }
            override = BlamelessOverride(reason: why, by: author, at: now, findings: findings)
        }
        state = .published
        publishedAt = now
        updatedAt = now
    }

    /// Stars an entry into its timeline (`true`) or out of it.
    public mutating func star(_ entry: UUID, _ on: Bool, at now: Date) {
        starred.removeAll { $0 == entry }
        unstarred.removeAll { $0 == entry }
        if on { starred.append(entry) } else { unstarred.append(entry) }
        updatedAt = now
    }

    /// As Markdown: the title, each section under its heading, and the incident's action items
    /// under the Action items section (or a section of their own when the template has none).
    public func markdown(actionItems: [ActionItem] = []) -> String {
        var text = "# Post-mortem: \(title) (\(incidentReference))\n\n"
        text += "State: \(state.rawValue) · owner: \(owner)"
        if let publishedAt { text += " · published \(RFC3339.format(publishedAt))" }
        text += "\n"
        let items = actionItems.sorted { ($0.priority, $0.createdAt) < ($1.priority, $1.createdAt) }.map(Self.line).joined()
        for section in sections {
            text += "\n## \(section.title)\n\n\(section.body)\n"
            if section.id == "action-items", !items.isEmpty { text += "\n" + items }
        }
        if !items.isEmpty, !sections.contains(where: { $0.id == "action-items" }) { text += "\n## Action items\n\n" + items }
        if !revisions.isEmpty {
            text += "\n## Corrections\n\n"
            for revision in revisions {
                text += "- \(RFC3339.format(revision.at)), \(revision.by), \(revision.section): \(revision.note)\n"
            }
        }
        return text
    }

    /// One action item as a list line: priority, title, owner, due date, status, ticket.
    static func line(_ item: ActionItem) -> String {
        var line = "- \(item.priority.rawValue) \(item.title): owner \(item.owner)"
        if let dueAt = item.dueAt { line += ", due \(RFC3339.format(dueAt).prefix(10))" }
        line += ", \(item.status.rawValue.replacingOccurrences(of: "_", with: " "))"
        if let reason = item.reason, !item.status.isOpen { line += " (\(reason))" }
        if let ticket = item.ticketURL { line += ", ticket \(ticket)" }
        return line + "\n"
    }
}

/// Which incidents need a post-mortem and by when, by severity.
public struct PostmortemPolicy: Codable, Sendable, Equatable {
    /// The levels that require one; others may have one.
    public var required: Set<String>
    /// How long after resolution each level's is due; `defaultDueSeconds` for the others.
    public var dueSeconds: [String: Int]
    public var defaultDueSeconds: Int
    /// How long after publication the follow-up review comes.
    public var followUpSeconds: Int

    public init(
        required: Set<String>, dueSeconds: [String: Int] = [:], defaultDueSeconds: Int = 48 * 3_600, followUpSeconds: Int = 14 * 86_400
    ) {
        self.required = required
        self.dueSeconds = dueSeconds
        self.defaultDueSeconds = defaultDueSeconds
        self.followUpSeconds = followUpSeconds
    }

    /// The two most severe levels require one, due 48 hours after resolution; follow-up after two weeks.
    public static func standard(for scheme: SeverityScheme) -> PostmortemPolicy {
        PostmortemPolicy(required: Set(scheme.levels.prefix(2).map(\.name)))
    }

    /// When the post-mortem of an incident resolved at `resolvedAt` is due.
    public func due(severity: String, resolvedAt: Date) -> Date {
        resolvedAt.addingTimeInterval(Double(dueSeconds[severity] ?? defaultDueSeconds))
    }
}
