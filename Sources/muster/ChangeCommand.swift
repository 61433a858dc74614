import ArgumentParser
import Foundation
import MusterCore

struct ChangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change", abstract: "Deploys and configuration changes: record them, list them, find an incident's suspects.",
        subcommands: [Record.self, List.self, Suspects.self, Suspect.self])

    static func line(_ change: ChangeEvent) -> String {
        "\(change.id.uuidString.lowercased()) \(Display.date(change.at)) \(change.service): \(change.summary)"
            + (change.source.map { " (\($0))" } ?? "")
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a change, for example from a CI pipeline after a deploy. It never opens an incident or pages.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The service that changed.") var service: String
        @Argument(help: "What changed, in a line: \"Deploy v2.34\".") var summary: String
        @Option(help: "When it happened, if earlier than now: RFC 3339, or a time today such as 14:15.") var at: String?
        @Option(help: "Where it came from: a pipeline, a host, a tool.") var source: String?
        @Option(help: "A link to attach (the pull request, the pipeline run); repeat for more.") var link: [String] = []
        @Option(help: "A fact to keep with it, as KEY=VALUE; repeat for more.") var detail: [String] = []

        func run() async throws {
            struct Body: Encodable {
                var service, summary: String
                var at, source: String?
                var links: [AlertLink]
                var details: [String: String]
            }
            var details: [String: String] = [:]
            for pair in detail {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ValidationError("--detail must be KEY=VALUE; got '\(pair.prefix(40))'.") }
                details[String(parts[0])] = String(parts[1])
            }
            let when = try at.map { RFC3339.format(try parseWhen($0, option: "--at")) }
            let (change, data) = try await client.client().call(
                .POST, "/api/v1/changes",
                body: Body(
                    service: service, summary: summary, at: when, source: source, links: link.map { AlertLink(href: $0) }, details: details),
                as: ChangeEvent.self)
            if client.json { return printJSON(data) }
            print("Recorded \(ChangeCommand.line(change)).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List changes, newest first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only this service's.") var service: String?
        @Option(help: "Only those of the last span, such as 4h or 7d.") var since: String?
        @Option(help: "At most this many.") var limit = 50

        func run() async throws {
            var query = ["limit=\(limit)"]
            if let service { query.append("service=\(APIClient.segment(service))") }
            if let since { query.append("since=\(APIClient.segment(since))") }
            let (items, data) = try await client.client().list("/api/v1/changes?\(query.joined(separator: "&"))", as: ChangeEvent.self)
            if client.json { return printJSON(data) }
            print(
                Table(
                    header: ["ID", "AT", "SERVICE", "SUMMARY", "SOURCE"],
                    rows: items.map { [$0.id.uuidString.lowercased(), Display.date($0.at), $0.service, $0.summary, $0.source ?? ""] }
                ).render())
        }
    }

    /// An incident's changes as the API ranks them.
    struct Ranked: Decodable {
        struct Item: Decodable {
            var change: ChangeEvent
            var reason: String
            var suspected: Bool
        }
        var start: Date
        var startsFrom: String
        var windowSeconds: Int
        var items: [Item]
    }

    struct Suspects: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The changes before an incident started, likeliest first, with why.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String

        func run() async throws {
            let (ranked, data) = try await client.client().call(
                .GET, "/api/v1/incidents/\(APIClient.segment(incident))/changes", as: Ranked.self)
            if client.json { return printJSON(data) }
            let hours = DurationText.human(Double(ranked.windowSeconds))
            guard !ranked.items.isEmpty else {
                return print("No change to its services in the \(hours) before its \(ranked.startsFrom) (\(Display.date(ranked.start))).")
            }
            print(
                Table(
                    header: ["ID", "AT", "SERVICE", "SUMMARY", "WHY", "SUSPECT"],
                    rows: ranked.items.map {
                        [
                            $0.change.id.uuidString.lowercased(), Display.date($0.change.at), $0.change.service, $0.change.summary, $0.reason,
                            $0.suspected ? "yes" : "",
                        ]
                    }
                ).render())
        }
    }

    struct Suspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a change as a suspect of an incident; it goes on the timeline and into the post-mortem's.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The incident (INC-…).") var incident: String
        @Argument(help: "The change's id.") var change: String
        @Option(help: "Why it is suspected.") var reason: String?

        func run() async throws {
            struct Body: Encodable { var reason: String? }
            let (_, data) = try await client.client().call(
                .POST, "/api/v1/incidents/\(APIClient.segment(incident))/changes/\(APIClient.segment(change))/suspect",
                body: Body(reason: reason), as: Ranked.self)
            if client.json { return printJSON(data) }
            print("Marked the change as a suspect of \(incident.uppercased()); it is on the timeline.")
        }
    }
}
