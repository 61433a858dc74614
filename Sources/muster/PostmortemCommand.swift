import ArgumentParser
import Foundation
import MusterCore

struct PostmortemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postmortem", abstract: "An incident's blameless post-mortem: draft, read, edit, publish, export.",
        subcommands: [Draft.self, Show.self, Edit.self, Submit.self, Publish.self, Export.self])

    /// The post-mortem as the API answers it.
    struct Shown: Decodable {
        var incidentReference: String
        var title: String
        var state: PostmortemState
        var owner: String
        var dueAt: Date
        var sections: [PostmortemSection]
        var findings: [String: [BlamelessFinding]]
        var openFindings: Int

        var text: String {
            var lines = [
                "Post-mortem of \(incidentReference): \(title)", "State: \(state.rawValue) · owner \(owner) · due \(Display.date(dueAt))",
            ]
            if openFindings > 0 { lines.append("Blameless check: \(openFindings) finding\(openFindings == 1 ? "" : "s")") }
            for section in sections {
                lines.append("\n## \(section.title) [\(section.id)]\n\(section.body)")
                for finding in findings[section.id] ?? [] {
                    lines.append(
                        "  ! line \(finding.line), col \(finding.column), “\(finding.excerpt)”: \(finding.explanation) \(finding.suggestion)"
                    )
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    static func path(_ id: String, _ rest: String = "") -> String { "/api/v1/incidents/\(APIClient.segment(id))/postmortem\(rest)" }

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draft the post-mortem of a resolved incident from its record.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id, e.g. INC-2026-0001.") var id: String
        @Option(help: "Who writes it; the incident commander when left out.") var owner: String?

        func run() async throws {
            struct Body: Encodable { var owner: String? }
            let (shown, data) = try await client.client().call(.POST, PostmortemCommand.path(id), body: Body(owner: owner), as: Shown.self)
            if client.json { return printJSON(data) }
            print(shown.text)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the post-mortem with the blameless check's findings.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String

        func run() async throws {
            let (shown, data) = try await client.client().call(.GET, PostmortemCommand.path(id), as: Shown.self)
            if client.json { return printJSON(data) }
            print(shown.text)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a section's Markdown (from --text or standard input); a published one only with --note.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "Section id, e.g. summary or what-went-well.") var section: String
        @Option(help: "The new text; standard input when left out.") var text: String?
        @Option(help: "Why, for a correction to a published post-mortem.") var note: String?

        func run() async throws {
            struct Body: Encodable {
                var body: String
                var note: String?
            }
            let body = text ?? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let (shown, data) = try await client.client().call(
                .PUT, PostmortemCommand.path(id, "/sections/\(APIClient.segment(section))"), body: Body(body: body, note: note),
                as: Shown.self)
            if client.json { return printJSON(data) }
            let found = shown.findings[section] ?? []
            print("Saved \(section).\(found.isEmpty ? "" : " The blameless check found \(found.count):")")
            for finding in found { print("  line \(finding.line), col \(finding.column), “\(finding.excerpt)”: \(finding.suggestion)") }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send the draft to review.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(name: .customLong("reviewer"), help: "A reviewer (repeatable).") var reviewers: [String] = []

        func run() async throws {
            struct Body: Encodable { var reviewers: [String] }
            let (shown, data) = try await client.client().call(
                .POST, PostmortemCommand.path(id, "/submit"), body: Body(reviewers: reviewers), as: Shown.self)
            if client.json { return printJSON(data) }
            print("\(shown.incidentReference)'s post-mortem is \(shown.state.rawValue).")
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish the post-mortem; with open blameless findings only with --override and the reason.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "Why to publish over the open findings.") var override: String?

        func run() async throws {
            struct Body: Encodable { var override: String? }
            let (shown, data) = try await client.client().call(
                .POST, PostmortemCommand.path(id, "/publish"), body: Body(override: override), as: Shown.self)
            if client.json { return printJSON(data) }
            print("\(shown.incidentReference)'s post-mortem is published.")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the post-mortem as Markdown or HTML.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "md or html.") var format = "md"

        func validate() throws {
            guard ["md", "html"].contains(format) else { throw ValidationError("--format must be md or html.") }
        }

        func run() async throws {
            FileHandle.standardOutput.write(try await client.client().send(.GET, PostmortemCommand.path(id, "/export?format=\(format)")))
        }
    }
}

extension PostmortemState: ExpressibleByArgument {}
