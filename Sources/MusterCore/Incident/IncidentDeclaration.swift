import Foundation

/// What a responder supplies to declare an incident.
public struct IncidentDeclaration: Codable, Sendable, Equatable {
    public var title: String
    public var summary: String?
    public var services: [String]?
    /// Explicit severity; when absent the impact matrix proposes one.
    public var severity: String?
    public var impact: Impact?
    public var impactStartedAt: Date?
    /// When the problem was noticed, when earlier than the declaration; now when absent.
    public var detectedAt: Date?
    /// Becomes incident commander at once when given.
    public var commander: String?
    /// The incident's chat channel and call bridge, as links.
    public var channel: String?
    public var bridge: String?

    public init(
        title: String, summary: String? = nil, services: [String]? = nil, severity: String? = nil,
        impact: Impact? = nil, impactStartedAt: Date? = nil, detectedAt: Date? = nil, commander: String? = nil,
        channel: String? = nil, bridge: String? = nil
    ) {
        self.title = title
        self.summary = summary
        self.services = services
        self.severity = severity
        self.impact = impact
        self.impactStartedAt = impactStartedAt
        self.detectedAt = detectedAt
        self.commander = commander
        self.channel = channel
        self.bridge = bridge
    }

    public static let maxTitleLength = 200
    public static let maxTextLength = 20_000
}

extension Incident {
    /// Opens a new incident from a declaration; returns it with the timeline entries it starts with.
    ///
    /// The store supplies `id` and `number`; everything else is decided here.
    public static func declare(
        _ declaration: IncidentDeclaration, id: UUID, number: Int, scheme: SeverityScheme,
        by author: String, at now: Date
    ) throws(IncidentError) -> (Incident, [TimelineDraft]) {
        let title = declaration.title.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(title, field: "title", max: IncidentDeclaration.maxTitleLength)
        let summary = declaration.summary?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try TextRules.limit(summary, field: "summary", max: IncidentDeclaration.maxTextLength)
        let services = try ServiceSlug.validateList(declaration.services ?? [], field: "services")
        let impact = declaration.impact ?? Impact()
        try impact.validate()
        if let started = declaration.impactStartedAt, started > now {
            throw .invalidField(field: "impactStartedAt", reason: "must not be in the future.")
        }
        let detectedAt = min(declaration.detectedAt ?? now, now)
        if let detected = declaration.detectedAt, detected > now.addingTimeInterval(Incident.clockSkewAllowance) {
            throw .invalidField(field: "detectedAt", reason: "must not be in the future.")
        }
        if let started = declaration.impactStartedAt, started > detectedAt {
            throw .invalidField(field: "impactStartedAt", reason: "must not be later than detectedAt (\(detectedAt.iso8601)).")
        }

        let severity: Severity
        var proposed = false
        if let name = declaration.severity {
            severity = try scheme.level(named: name)
        } else if let users = impact.userImpact, let business = impact.businessImpact {
            severity = scheme.propose(users: users, business: business)
            proposed = true
        } else {
            throw .invalidField(
                field: "severity",
                reason: "is required unless impact.userImpact and impact.businessImpact are given to propose one.")
        }

        var incident = Incident(
            id: id, number: number, reference: reference(year: year(of: now), number: number),
            title: title, summary: summary, services: services, severity: severity.name, status: .triggered,
            impact: impact, roles: [], declaredBy: author, impactStartedAt: declaration.impactStartedAt,
            detectedAt: detectedAt, acknowledgedAt: nil, mitigatedAt: nil, resolvedAt: nil, closedAt: nil,
            rootCause: nil, resolution: nil, reopenCount: 0, updatedAt: now, groupKey: nil,
            communication: CommunicationRecord(startedAt: now),
            channel: try declaration.channel.flatMap { link throws(IncidentError) in
                try WarRoom.link(link, field: "channel")
            }, bridge: try declaration.bridge.flatMap { link throws(IncidentError) in try WarRoom.link(link, field: "bridge") })
        let how = proposed ? "proposed by the impact matrix" : "set by \(author)"
        var entries = [
            TimelineDraft(
                kind: .declared, at: now, author: author,
                text: "Declared \(incident.reference) at \(severity.name) (\(how)): \(title)",
                details: ["severity": severity.name])
        ]
        if let commander = declaration.commander {
            entries += try incident.assign(.commander, to: commander, by: author, at: now)
        }
        return (incident, entries)
    }
}
