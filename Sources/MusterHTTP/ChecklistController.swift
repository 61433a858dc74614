import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/incidents/{id}/checklist`: the checklists attached to an incident by its severity,
/// ticked, skipped or added to by responders, each change on the timeline.
struct ChecklistController {
    let env: APIEnvironment

    struct MarkRequest: Decodable {
        var item: String
        var state: ChecklistMark.State
        var reason: String?
    }

    struct AddRequest: Decodable {
        var text: String
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.get("incidents/:id/checklist") { _, context -> ChecklistView in
            _ = try context.caller()
            let incident = try await Postmortems(env: env).incident(try context.parameters.require("id"))
            return ChecklistView(try await Checklists(env: env).checklist(of: incident))
        }
        group.post("incidents/:id/checklist/marks") { request, context -> ChecklistView in
            let author = try context.writer().name
            let body = try await APICoding.decode(MarkRequest.self, from: request, limit: env.maxBodyBytes)
            let checklist = try await Checklists(env: env).mark(
                try context.parameters.require("id"), item: body.item, as: body.state, reason: body.reason, by: author)
            return ChecklistView(checklist)
        }
        group.post("incidents/:id/checklist/items") { request, context -> EditedResponse<ChecklistView> in
            let author = try context.writer().name
            let body = try await APICoding.decode(AddRequest.self, from: request, limit: env.maxBodyBytes)
            let checklist = try await Checklists(env: env).add(try context.parameters.require("id"), text: body.text, by: author)
            return EditedResponse(status: .created, response: ChecklistView(checklist))
        }
    }
}

/// Checklists as the API and the pages use them.
struct Checklists {
    let env: APIEnvironment

    /// The severity rank the templates are attached by: 1 for the scheme's most severe level.
    func rank(of incident: Incident) -> Int? { env.scheme.rank(of: incident.severity).map { $0 + 1 } }

    func checklist(of incident: Incident, marks read: [ChecklistMark]? = nil) async throws -> IncidentChecklist {
        var marks = read ?? []
        if read == nil { marks = try await env.stores.checklists.checklistMarks(of: incident.id) }
        return IncidentChecklist(templates: env.checklistTemplates, severityRank: rank(of: incident), marks: marks)
    }

    /// Ticks, skips or reopens an item of incident `key` for `author`.
    func mark(_ key: String, item: String, as state: ChecklistMark.State, reason: String?, by author: String) async throws
        -> IncidentChecklist
    {
        let now = env.now()
        let templates = env.checklistTemplates
        let scheme = env.scheme
        let (incident, _) = try await env.stores.checklists.markChecklist(key) { incident, marks in
            let checklist = IncidentChecklist(
                templates: templates, severityRank: scheme.rank(of: incident.severity).map { $0 + 1 }, marks: marks)
            return try incident.mark(item, as: state, reason: reason, in: checklist, by: author, at: now)
        }
        return try await checklist(of: incident)
    }

    /// Adds an item of `author`'s own to incident `key`'s checklist.
    func add(_ key: String, text: String, by author: String) async throws -> IncidentChecklist {
        let now = env.now()
        let (incident, _) = try await env.stores.checklists.markChecklist(key) { incident, marks in
            try incident.addChecklistItem(text, after: marks, by: author, at: now)
        }
        return try await checklist(of: incident)
    }
}

/// An incident's checklists as the API answers them.
struct ChecklistView: ResponseEncodable {
    struct Item: Encodable {
        var key: String
        var text: String
        var state: String
        var reason: String?
        var by: String?
        var at: Date?
    }
    struct Section: Encodable {
        var title: String
        var items: [Item]
    }
    struct List: Encodable {
        var id: String
        var title: String
        var phase: String
        var sections: [Section]
    }

    var lists: [List]
    var settled: Int
    var total: Int
    var openResolutionItems: Int

    init(_ checklist: IncidentChecklist) {
        lists = checklist.lists.map { list in
            List(
                id: list.id, title: list.title, phase: list.phase.rawValue,
                sections: list.sections.map { section in
                    Section(
                        title: section.title,
                        items: section.items.map {
                            Item(key: $0.key, text: $0.text, state: $0.state.rawValue, reason: $0.reason, by: $0.by, at: $0.at)
                        })
                })
        }
        (settled, total) = checklist.progress
        openResolutionItems = checklist.openResolutionItems.count
    }
}
