import ArgumentParser
import Foundation
import MusterCore

extension StatusPageCommand {
    /// Who follows the page (admin only).
    struct Subscribers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subscribers", abstract: "List, add, remove and export the page's subscribers (admin).",
            subcommands: [List.self, Add.self, Remove.self, Export.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the subscribers, oldest first.")
            @OptionGroup var client: ClientOptions

            func run() async throws {
                let (all, data) = try await client.client().list("/api/v1/status-subscribers", as: Subscriber.self)
                if client.json { return printJSON(data) }
                print(
                    Table(
                        header: ["ID", "KIND", "ADDRESS", "COMPONENTS", "CONFIRMED"],
                        rows: all.map {
                            [
                                $0.id.uuidString.lowercased(), $0.kind.rawValue, $0.address,
                                $0.components.isEmpty ? "all" : $0.components.joined(separator: ","),
                                $0.confirmedAt.map(Display.date) ?? "pending",
                            ]
                        }
                    ).render())
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a webhook (confirmed at once) or an email address (sent the request to confirm).")
            @OptionGroup var client: ClientOptions
            @Option(help: "An https URL to post Statuspage-shaped JSON to.") var webhook: String?
            @Option(help: "An email address.") var email: String?
            @Option(name: .customLong("component"), help: "A component it follows (repeatable); all when left out.")
            var components: [String] = []

            func validate() throws {
                if (webhook == nil) == (email == nil) { throw ValidationError("Give --webhook or --email.") }
            }

            func run() async throws {
                struct Body: Encodable {
                    var kind: SubscriberKind
                    var address: String
                    var components: [String]
                }
                let body = Body(kind: webhook == nil ? .email : .webhook, address: webhook ?? email ?? "", components: components)
                let (added, data) = try await client.client().call(.POST, "/api/v1/status-subscribers", body: body, as: Subscriber.self)
                if client.json { return printJSON(data) }
                let state = added.confirmedAt == nil ? "asked to confirm by mail" : "confirmed"
                print("Subscribed \(added.address) (\(added.id.uuidString.lowercased()), \(state)).")
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a subscriber; what was still queued for it is dropped.")
            @OptionGroup var client: ClientOptions
            @Argument(help: "Subscriber id.") var id: String

            func run() async throws {
                try await deleteResource(
                    client, "/api/v1/status-subscribers/\(APIClient.segment(id))", asking: "Remove subscriber \(id)?",
                    done: "Removed subscriber \(id).")
            }
        }

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print every subscriber as CSV.")
            @OptionGroup var client: ClientOptions

            func run() async throws {
                let data = try await client.client().send(.GET, "/api/v1/status-subscribers/export")
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
