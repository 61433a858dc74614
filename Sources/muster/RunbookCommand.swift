import ArgumentParser
import Foundation
import MusterCore

struct RunbookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook", abstract: "Runbooks kept in Muster: write them, list them, find an incident's, make checklists of them.",
        subcommands: [Save.self, List.self, Show.self, Delete.self, For.self, Checklist.self])

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a runbook (new, or anew under its id) from a Markdown file.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Its id: lowercase letters, digits and dashes.") var id: String
        @Option(help: "Its title.") var title: String
        @Option(help: "The Markdown file; - for standard input.") var file: String
        @Option(help: "A service it is for; repeat for more.") var service: [String] = []
        @Option(help: "An alert label that picks it, as NAME=VALUE; repeat for more.") var label: [String] = []

        func run() async throws {
            struct Body: Encodable {
                var title, body: String
                var services: [String]
                var labels: [String: String]
            }
            var labels: [String: String] = [:]
            for pair in label {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ValidationError("--label must be NAME=VALUE; got '\(pair.prefix(40))'.") }
                labels[String(parts[0])] = String(parts[1])
            }
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("--file names '\(file)', which cannot be read.") }
                text = String(decoding: data, as: UTF8.self)
            }
            let (runbook, data) = try await client.client().call(
                .PUT, "/api/v1/runbooks/\(APIClient.segment(id))", body: Body(title: title, body: text, services: service, labels: labels),
                as: Runbook.self)
            if client.json { return printJSON(data) }
            print("Saved runbook \(runbook.id) (\(runbook.title)), \(runbook.checklistItems.count) checklist items.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runbooks.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (items, data) = try await client.client().list("/api/v1/runbooks", as: Runbook.self)
            if client.json { return printJSON(data) }
            print(
                Table(
                    header: ["ID", "TITLE", "SERVICES", "LABELS"],
                    rows: items.map {
                        [$0.id, $0.title, $0.services.joined(separator: ","), $0.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")]
                    }
                ).render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a runbook's Markdown.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Its id.") var id: String

        func run() async throws {
            let (runbook, data) = try await client.client().call(.GET, "/api/v1/runbooks/\(APIClient.segment(id))", as: Runbook.self)
            if client.json { return printJSON(data) }
            print("# \(runbook.title)\n")
            print(runbook.body)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a runbook.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Its id.") var id: String

        func run() async throws {
            try client.confirm("Remove runbook \(id)?")
            _ = try await client.client().send(.DELETE, "/api/v1/runbooks/\(APIClient.segment(id))")
            if !client.json { print("Removed runbook \(id).") }
        }
    }

    /// An incident's runbooks as the API answers them.
    struct Matched: Decodable {
        struct Item: Decodable {
            var runbook: Runbook
            var reason: String
        }
        struct Link: Decodable { var href, from: String }
        var items: [Item]
        var links: [Link]
    }

    struct For: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The runbooks that match an incident, with why, and its runbook links.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String

        func run() async throws {
            let (matched, data) = try await client.client().call(
                .GET, "/api/v1/incidents/\(APIClient.segment(incident))/runbooks", as: Matched.self)
            if client.json { return printJSON(data) }
            if matched.items.isEmpty && matched.links.isEmpty { return print("No runbook matches \(incident.uppercased()).") }
            for item in matched.items { print("\(item.runbook.id)  \(item.runbook.title)  (\(item.reason))") }
            for link in matched.links { print("\(link.href)  (\(link.from))") }
        }
    }

    struct Checklist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a runbook's task list to an incident's checklists.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String
        @Argument(help: "The runbook's id.") var runbook: String

        func run() async throws {
            let (view, data) = try await client.client().call(
                .POST, "/api/v1/incidents/\(APIClient.segment(incident))/runbooks/\(APIClient.segment(runbook))/checklist",
                as: ChecklistCommand.View.self)
            if client.json { return printJSON(data) }
            print("Added the runbook's task list. \(view.settled) of \(view.total) items done or skipped.")
        }
    }
}
