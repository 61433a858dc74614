import Foundation

/// A runbook kept in Muster: Markdown written for the responders of some services, matched to
/// incidents by their services and by their alerts' labels.
public struct Runbook: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// The services it is written for; an incident of any of them matches.
    public var services: [String]
    /// Labels an alert of the incident must carry, each with this value (`alertname: HighErrorRate`);
    /// any one that matches is enough.
    public var labels: [String: String]
    public var body: String
    public var updatedBy: String
    public var updatedAt: Date

    public init(
        id: String, title: String, services: [String] = [], labels: [String: String] = [:], body: String, by author: String, at now: Date
    ) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(title, field: "title", max: 200)
        try TextRules.require(body, field: "body", max: 100_000)
        guard services.count <= 50 else { throw .invalidField(field: "services", reason: "may name at most 50 services.") }
        for service in services { try ServiceSlug.validate(service, field: "services") }
        guard labels.count <= 20 else { throw .invalidField(field: "labels", reason: "may hold at most 20 labels.") }
        for (name, value) in labels {
            try TextRules.require(name, field: "labels", max: 200)
            try TextRules.require(value, field: "labels.\(name.prefix(40))", max: 1_000)
        }
        guard !services.isEmpty || !labels.isEmpty else {
            throw .invalidField(field: "services", reason: "or labels must say which incidents the runbook is for.")
        }
        self.id = id
        self.title = title
        self.services = services
        self.labels = labels
        self.body = body
        self.updatedBy = author
        self.updatedAt = now
    }

    /// Why it matches an incident of `services` whose alerts carry `alertLabels`, or nil when it
    /// does not: "service api", "alertname=HighErrorRate".
    public func match(services incidentServices: [String], alertLabels: [[String: String]]) -> String? {
        if let service = services.first(where: incidentServices.contains) { return "service \(service)" }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) where alertLabels.contains(where: { $0[name] == value }) {
            return "\(name)=\(value)"
        }
        return nil
    }

    /// The task-list items of its Markdown (`- [ ] Check the pool size`), to turn into checklist items.
    public var checklistItems: [String] {
        body.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["- [ ] ", "* [ ] ", "- [x] ", "* [x] ", "- [X] "] where trimmed.hasPrefix(prefix) {
                let item = trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
                return item.isEmpty ? nil : String(item.prefix(300))
            }
            return nil
        }
    }
}
