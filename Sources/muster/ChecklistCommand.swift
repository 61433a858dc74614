import ArgumentParser
import Foundation
import MusterCore

struct ChecklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist", abstract: "An incident's checklists: show them, tick, skip or reopen items, add your own.",
        subcommands: [Show.self, Done.self, Skip.self, Reopen.self, Add.self])

    /// The checklists as the API answers them.
    struct View: Decodable {
        struct Item: Decodable {
            var key, text, state: String
            var reason, by: String?
        }
        struct Section: Decodable {
            var title: String
            var items: [Item]
        }
        struct List: Decodable {
            var id, title, phase: String
            var sections: [Section]
        }
        var lists: [List]
        var settled, total, openResolutionItems: Int
    }

    static func print(_ view: View) {
        for list in view.lists {
            Swift.print("\(list.title) [\(list.phase)]")
            for section in list.sections {
                Swift.print("  \(section.title)")
                for item in section.items {
                    let mark = ["done": "[x]", "skipped": "[-]"][item.state] ?? "[ ]"
                    var line = "    \(mark) \(item.text)  \(item.key)"
                    if item.state != "open", let by = item.by { line += " · \(item.state) by \(by)" }
                    if let reason = item.reason { line += ": \(reason)" }
                    Swift.print(line)
                }
            }
        }
        Swift.print("\(view.settled) of \(view.total) items done or skipped; \(view.openResolutionItems) resolution items open.")
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an incident's checklists, each item with its key.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String

        func run() async throws {
            let (view, data) = try await client.client().call(
                .GET, "/api/v1/incidents/\(APIClient.segment(incident))/checklist", as: View.self)
            if client.json { return printJSON(data) }
            ChecklistCommand.print(view)
        }
    }

    /// Marks an item, as the three commands that do so share it.
    static func mark(_ client: ClientOptions, _ incident: String, _ item: String, _ state: String, reason: String?) async throws {
        struct Body: Encodable { var item, state: String; var reason: String? }
        let (view, data) = try await client.client().call(
            .POST, "/api/v1/incidents/\(APIClient.segment(incident))/checklist/marks", body: Body(item: item, state: state, reason: reason),
            as: View.self)
        if client.json { return printJSON(data) }
        Swift.print("Marked \(item) \(state). \(view.settled) of \(view.total) items done or skipped.")
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tick an item; the timeline records who did it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String
        @Argument(help: "The item's key, as `muster checklist show` lists it.") var item: String

        func run() async throws { try await ChecklistCommand.mark(client, incident, item, "done", reason: nil) }
    }

    struct Skip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Skip an item that does not apply, saying why.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String
        @Argument(help: "The item's key.") var item: String
        @Option(help: "Why it does not apply (required).") var reason: String

        func run() async throws { try await ChecklistCommand.mark(client, incident, item, "skipped", reason: reason) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen an item that was done or skipped.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String
        @Argument(help: "The item's key.") var item: String

        func run() async throws { try await ChecklistCommand.mark(client, incident, item, "open", reason: nil) }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an item of your own to an incident's checklists.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String
        @Argument(help: "What to check or do.") var text: String

        func run() async throws {
            struct Body: Encodable { var text: String }
            let (view, data) = try await client.client().call(
                .POST, "/api/v1/incidents/\(APIClient.segment(incident))/checklist/items", body: Body(text: text), as: View.self)
            if client.json { return printJSON(data) }
            Swift.print("Added. \(view.settled) of \(view.total) items done or skipped.")
        }
    }
}
