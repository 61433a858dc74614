import Foundation

/// Changes to an incident's descriptive fields; nil leaves a field as it is.
public struct IncidentEdit: Codable, Sendable, Equatable {
    public var title: String?
    /// The name on the status page; empty goes back to the title.
    public var publicName: String?
    public var summary: String?
    public var services: [String]?
    public var impactStartedAt: Date?
    public var detectedAt: Date?
    /// The chat channel link; empty removes it.
    public var channel: String?
    /// The call bridge link; empty removes it.
    public var bridge: String?

    public init(
        title: String? = nil, summary: String? = nil, services: [String]? = nil, impactStartedAt: Date? = nil, detectedAt: Date? = nil,
        channel: String? = nil, bridge: String? = nil, publicName: String? = nil
    ) {
        self.title = title
        self.publicName = publicName
        self.summary = summary
        self.services = services
        self.impactStartedAt = impactStartedAt
        self.detectedAt = detectedAt
        self.channel = channel
        self.bridge = bridge
    }

    public var isEmpty: Bool { self == IncidentEdit() }
}

extension Incident {
    /// Applies an edit; each field that changes gets its own timeline entry, saying from what to what.
    public mutating func edit(_ edit: IncidentEdit, by author: String, at now: Date) throws(IncidentError) -> [TimelineDraft] {
        guard status != .closed else { throw .closed }
        guard !edit.isEmpty else {
            throw .invalidField(
                field: "title",
                reason:
                    "or another field must be given: title, publicName, summary, services, impactStartedAt, detectedAt, channel, bridge.")
        }
        var entries: [TimelineDraft] = []
        func note(_ field: String, _ text: String, from old: String, to new: String) {
            entries.append(
                TimelineDraft(
                    kind: .note, at: now, author: author, text: text, details: ["edited": field, "from": old, "to": new]))
        }
        if let title = edit.title?.trimmingCharacters(in: .whitespacesAndNewlines), title != self.title {
            try TextRules.require(title, field: "title", max: IncidentDeclaration.maxTitleLength)
            note("title", "Title changed from “\(self.title)” to “\(title)”", from: self.title, to: title)
            self.title = title
        }
        if let name = edit.publicName?.trimmingCharacters(in: .whitespacesAndNewlines), name != (publicName ?? "") {
            try TextRules.limit(name, field: "publicName", max: IncidentDeclaration.maxTitleLength)
            note(
                "publicName", name.isEmpty ? "Status page name removed; the page shows the title" : "Status page name set to “\(name)”",
                from: publicName ?? "", to: name)
            publicName = name.isEmpty ? nil : name
        }
        if let summary = edit.summary?.trimmingCharacters(in: .whitespacesAndNewlines), summary != self.summary {
            try TextRules.limit(summary, field: "summary", max: IncidentDeclaration.maxTextLength)
            note("summary", summary.isEmpty ? "Summary removed" : "Summary changed: \(summary)", from: self.summary, to: summary)
            self.summary = summary
        }
        if let list = edit.services {
            let services = try ServiceSlug.validateList(list, field: "services")
            if services != self.services {
                let shown = { (names: [String]) in names.isEmpty ? "none" : names.joined(separator: ", ") }
                note(
                    "services", "Services changed from \(shown(self.services)) to \(shown(services))",
                    from: self.services.joined(separator: ","), to: services.joined(separator: ","))
                self.services = services
            }
        }
        try editTimes(edit, now: now, note: note)
        entries += try setWarRoom(channel: edit.channel, bridge: edit.bridge, by: author, at: now)
        guard !entries.isEmpty else {
            throw .invalidField(field: "title", reason: "and the other fields given already hold these values; nothing changed.")
        }
        updatedAt = now
        return entries
    }

    /// Detection and impact start may be corrected, never into the future nor past each other or
    /// past the first acknowledgement.
    private mutating func editTimes(
        _ edit: IncidentEdit, now: Date, note: (String, String, String, String) -> Void
    ) throws(IncidentError) {
        let detected = edit.detectedAt ?? detectedAt
        let started = edit.impactStartedAt ?? impactStartedAt
        for (field, time) in [("detectedAt", edit.detectedAt), ("impactStartedAt", edit.impactStartedAt)] {
            if let time, time > now.addingTimeInterval(Self.clockSkewAllowance) {
                throw .invalidField(field: field, reason: "is \(time.iso8601), which is in the future.")
            }
        }
        if let started, started > detected {
            throw .invalidField(field: "impactStartedAt", reason: "is \(started.iso8601), later than detection (\(detected.iso8601)).")
        }
        if let acknowledgedAt, detected > acknowledgedAt {
            throw .invalidField(
                field: "detectedAt", reason: "is \(detected.iso8601), later than the acknowledgement (\(acknowledgedAt.iso8601)).")
        }
        if let time = edit.detectedAt, time != detectedAt {
            note("detectedAt", "Detection time corrected from \(detectedAt.iso8601) to \(time.iso8601)", detectedAt.iso8601, time.iso8601)
            detectedAt = time
        }
        if let time = edit.impactStartedAt, time != impactStartedAt {
            let old = impactStartedAt?.iso8601 ?? "unknown"
            note("impactStartedAt", "Impact start set from \(old) to \(time.iso8601)", old, time.iso8601)
            impactStartedAt = time
        }
    }
}
