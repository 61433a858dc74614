import Foundation

/// A checklist for one phase of the response, attached to incidents by severity: what responders
/// go through so that nothing obvious is missed under stress. Muster ships defaults written after
/// the process it implements; a team may configure its own.
public struct ChecklistTemplate: Codable, Sendable, Equatable {
    public enum Phase: String, StrictStringEnum {
        case triage, investigation, response, resolution
    }

    /// Items under a heading.
    public struct Section: Codable, Sendable, Equatable {
        public var title: String
        public var items: [String]

        public init(title: String, items: [String]) {
            self.title = title
            self.items = items
        }
    }

    public var id: String
    public var title: String
    public var phase: Phase
    /// The severity ranks it is attached at (1 is the most severe level); empty for every level.
    public var ranks: [Int]
    public var sections: [Section]

    public init(id: String, title: String, phase: Phase, ranks: [Int] = [], sections: [Section]) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "checklists.id")
        try TextRules.require(title, field: "checklists.title", max: 120)
        guard !sections.isEmpty, sections.count <= 20 else { throw .invalidField(field: "checklists.sections", reason: "must hold 1–20 sections.") }
        var keys: Set<String> = []
        for section in sections {
            try TextRules.require(section.title, field: "checklists.sections.title", max: 120)
            guard !section.items.isEmpty, section.items.count <= 30 else {
                throw .invalidField(field: "checklists.sections.items", reason: "must hold 1–30 items.")
            }
            for item in section.items {
                try TextRules.require(item, field: "checklists.sections.items", max: 300)
                guard keys.insert(Self.slug(item)).inserted else {
                    throw .invalidField(field: "checklists.sections.items", reason: "names '\(item.prefix(60))' twice in '\(id)'.")
                }
            }
        }
        guard ranks.allSatisfy({ $0 >= 1 && $0 <= 10 }) else { throw .invalidField(field: "checklists.ranks", reason: "must be from 1 to 10.") }
        self.id = id
        self.title = title
        self.phase = phase
        self.ranks = ranks
        self.sections = sections
    }

    /// Whether it is attached to an incident of severity rank `rank`.
    public func applies(toRank rank: Int?) -> Bool {
        ranks.isEmpty || rank.map(ranks.contains) == true
    }

    /// The stable key of an item: the template's id and the item's words as a slug.
    public func key(of item: String) -> String { "\(id)/\(Self.slug(item))" }

    /// Lower-case letters and digits joined by dashes, at most 60 characters.
    static func slug(_ text: String) -> String {
        var slug = ""
        var dash = false
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                if dash, !slug.isEmpty { slug.append("-") }
                slug.append(character)
                dash = false
            } else {
                dash = true
            }
        }
        return String(slug.prefix(60))
    }
}

extension ChecklistTemplate {
    /// The shipped checklists: initial assessment; investigation (recent changes, system health,
    /// dependencies, data integrity); the response protocols of the two most severe levels; and
    /// resolution verification with closure.
    public static let standard: [ChecklistTemplate] = {
        // The shipped lists pass every check.
        try! [
            ChecklistTemplate(
                id: "initial-assessment", title: "Initial assessment", phase: .triage,
                sections: [
                    Section(
                        title: "Impact",
                        items: [
                            "Confirm who and what is affected, and since when", "Set the severity from the impact matrix",
                            "Decide whether an incident commander is needed, and name one",
                        ]),
                    Section(title: "Coordination", items: ["Open the incident channel and share it", "Post the first internal update"]),
                ]),
            ChecklistTemplate(
                id: "investigation", title: "Investigation", phase: .investigation,
                sections: [
                    Section(
                        title: "Recent changes",
                        items: [
                            "Deployments in the last four hours", "Configuration changes", "Infrastructure changes",
                            "Changes in traffic patterns",
                        ]),
                    Section(
                        title: "System health",
                        items: [
                            "CPU, memory and disk use", "Network connectivity", "Database connections available", "Queue depths",
                        ]),
                    Section(
                        title: "Dependencies",
                        items: [
                            "Third-party services up", "Internal services answering", "DNS resolving", "TLS certificates valid",
                        ]),
                    Section(
                        title: "Data integrity", items: ["Database consistent", "Caches coherent", "File systems with room left"]),
                ]),
            ChecklistTemplate(
                id: "sev1-protocol", title: "Most severe level: response protocol", phase: .response, ranks: [1],
                sections: [
                    Section(
                        title: "First 15 minutes",
                        items: [
                            "Page every responder the incident needs", "Start the call bridge", "Open the incident channel",
                            "Assess the blast radius", "Consider a rollback or a failover",
                        ]),
                    Section(
                        title: "Stabilizing, 15 to 60 minutes",
                        items: [
                            "Identify the contributing factors", "Put a mitigation in place; the fix can follow",
                            "Update the status page", "Tell the affected customers", "Record actions on the timeline as they happen",
                        ]),
                ]),
            ChecklistTemplate(
                id: "sev2-protocol", title: "Second level: response protocol", phase: .response, ranks: [2],
                sections: [
                    Section(
                        title: "First 30 minutes",
                        items: [
                            "Acknowledge and assess", "Open an incident channel if one is needed", "Start the investigation",
                            "Update the status page if customers see the problem",
                        ]),
                    Section(
                        title: "Resolution, 30 to 120 minutes",
                        items: [
                            "Identify the root cause", "Put the fix in place", "Verify that the fix works",
                            "Watch for the problem coming back",
                        ]),
                ]),
            ChecklistTemplate(
                id: "resolution", title: "Resolution and closure", phase: .resolution,
                sections: [
                    Section(
                        title: "Service health",
                        items: [
                            "Every health check passes", "Error rate back at its baseline", "Latency back to normal",
                            "Resource use back to normal",
                        ]),
                    Section(
                        title: "User impact",
                        items: ["Users complete the key flows", "No new error reports", "Support queue no longer growing"]),
                    Section(
                        title: "Monitoring", items: ["Alerts cleared", "Dashboards show normal patterns", "Logs look normal"]),
                    Section(
                        title: "Closure",
                        items: [
                            "Final status page update posted", "Final internal update sent", "Post-mortem scheduled",
                            "Follow-up tickets made",
                        ]),
                ]),
        ]
    }()
}
