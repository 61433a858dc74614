import ArgumentParser
import Foundation
import MusterCore

extension StatusPageCommand {
    /// Planned work announced on the page.
    struct MaintenanceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maintenance", abstract: "Announce planned work, post to it, move it on, or remove it.",
            subcommands: [List.self, Schedule.self, Post.self, Cancel.self])

        static func describe(_ maintenance: Maintenance) -> String {
            "\(maintenance.id.uuidString.lowercased()) \(maintenance.title) [\(maintenance.state.rawValue)] "
                + "\(Display.date(maintenance.startsAt)) – \(Display.date(maintenance.endsAt))"
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List maintenance not completed, and completed in the last year.")
            @OptionGroup var client: ClientOptions

            func run() async throws {
                let (all, data) = try await client.client().list("/api/v1/maintenances", as: Maintenance.self)
                if client.json { return printJSON(data) }
                print(
                    Table(
                        header: ["ID", "TITLE", "STATE", "STARTS", "ENDS", "COMPONENTS"],
                        rows: all.map {
                            [
                                $0.id.uuidString.lowercased(), $0.title, $0.state.rawValue, Display.date($0.startsAt),
                                Display.date($0.endsAt),
                                $0.components.joined(separator: ","),
                            ]
                        }
                    ).render())
            }
        }

        struct Schedule: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Announce maintenance on some components; --silence also holds back their services' alerts meanwhile.")
            @OptionGroup var client: ClientOptions
            @Option(help: "What is planned, in one line.") var title: String
            @Option(help: "The announcement customers read.") var message: String
            @Option(name: .customLong("component"), help: "A status page component it concerns (repeatable).") var components: [String] = []
            @Option(help: "When it starts, e.g. 2026-12-10T22:00:00Z.") var start: String
            @Option(help: "When it ends, e.g. 2026-12-10T23:30:00Z.") var end: String
            @Option(help: "How long it stays verifying after its end, e.g. 15m (0 skips it).") var verify: String?
            @Flag(help: "Also silence the alerts of the components' services from start to end.") var silence = false

            func validate() throws {
                for (name, value) in [("start", start), ("end", end)] where RFC3339.parse(value) == nil {
                    throw ValidationError("--\(name) must be a date and time such as 2026-12-10T22:00:00Z, not '\(value)'.")
                }
                if let verify, DurationText.parse(verify) == nil, verify != "0" {
                    throw ValidationError("--verify must be \(DurationText.forms), or 0.")
                }
            }

            func run() async throws {
                struct Body: Encodable {
                    var title: String
                    var message: String
                    var components: [String]
                    var startsAt: String
                    var endsAt: String
                    var verifySeconds: Int?
                    var silence: Bool
                }
                let seconds = verify.map { $0 == "0" ? 0 : DurationText.parse($0) ?? 0 }
                let (created, data) = try await client.client().call(
                    .POST, "/api/v1/maintenances",
                    body: Body(
                        title: title, message: message, components: components, startsAt: start, endsAt: end, verifySeconds: seconds,
                        silence: silence), as: Maintenance.self)
                if client.json { return printJSON(data) }
                print("Scheduled \(MaintenanceCommand.describe(created))\(created.silenceID == nil ? "" : ", alerts silenced meanwhile").")
            }
        }

        struct Post: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Post a message to a maintenance, or move it on by hand with --state (in_progress, verifying, completed).")
            @OptionGroup var client: ClientOptions
            @Argument(help: "Maintenance id.") var id: String
            @Argument(help: "What customers read; with --state, a standard sentence when left out.") var message: String?
            @Option(help: "in_progress, verifying or completed.") var state: MaintenanceState?

            func validate() throws {
                if message == nil, state == nil { throw ValidationError("Give a message, a --state, or both.") }
            }

            func run() async throws {
                struct Body: Encodable {
                    var message: String?
                    var state: MaintenanceState?
                }
                let (shown, data) = try await client.client().call(
                    .POST, "/api/v1/maintenances/\(APIClient.segment(id))/updates", body: Body(message: message, state: state),
                    as: Maintenance.self)
                if client.json { return printJSON(data) }
                print("Posted to \(MaintenanceCommand.describe(shown)).")
            }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a maintenance from the page; its silence ends.")
            @OptionGroup var client: ClientOptions
            @Argument(help: "Maintenance id.") var id: String

            func run() async throws {
                try await deleteResource(
                    client, "/api/v1/maintenances/\(APIClient.segment(id))", asking: "Remove maintenance \(id) from the status page?",
                    done: "Removed maintenance \(id).")
            }
        }
    }
}

extension MaintenanceState: ExpressibleByArgument {}
