import ArgumentParser
import Foundation
import MusterCore
import MusterStore

struct IntegrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integration", abstract: "Keys that monitoring systems send alerts with.",
        subcommands: [Create.self, List.self, Show.self, Test.self, Rename.self, Rotate.self, Revoke.self, Policy.self])

    /// The server's answer when a key is made.
    struct Keyed: Decodable {
        var integration: Integration
        var key: String
        var url: String
        var setup: String
    }

    static func printKeyed(_ keyed: Keyed) {
        print(
            "Integration \(keyed.integration.id.uuidString) (\(keyed.integration.kind.rawValue)) for service \(keyed.integration.service)."
        )
        print("Key (shown only now): \(keyed.key)")
        print("URL: \(keyed.url)")
        print("")
        print(keyed.setup)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an integration and print what to paste into the sender.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id.") var service: String
        @Option(help: "alertmanager, grafana, pagerduty or generic.") var kind: String
        @Option(help: "A name for it.") var name: String?

        func run() async throws {
            let kind = try parseOption(IntegrationKind.self, kind, "--kind")
            let (keyed, data) = try await client.client().call(
                .POST, "/api/v1/services/\(APIClient.segment(service))/integrations", body: ["kind": kind.rawValue, "name": name],
                as: Keyed.self)
            if client.json { printJSON(data) } else { IntegrationCommand.printKeyed(keyed) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List integrations.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only this service's.") var service: String?

        func run() async throws {
            let path = service.map { "/api/v1/services/\(APIClient.segment($0))/integrations" } ?? "/api/v1/integrations"
            let (items, data) = try await client.client().list(path, as: Integration.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["ID", "SERVICE", "KIND", "NAME", "KEY", "STATE"],
                    rows: items.map {
                        [
                            $0.id.uuidString, $0.service, $0.kind.rawValue, $0.name, $0.keyPrefix + "…",
                            $0.revokedAt.map { "revoked " + Display.date($0) } ?? "live",
                        ]
                    }
                ).render())
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace an integration's key; the old one stops working at once.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Integration id.") var id: String

        func run() async throws {
            let (keyed, data) = try await client.client().call(
                .POST, "/api/v1/integrations/\(APIClient.segment(id))/rotate", as: Keyed.self)
            if client.json { printJSON(data) } else { IntegrationCommand.printKeyed(keyed) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one integration (never its key).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Integration id.") var id: String

        func run() async throws {
            let (integration, data) = try await client.client().call(
                .GET, "/api/v1/integrations/\(APIClient.segment(id))", as: Integration.self)
            if client.json {
                printJSON(data)
                return
            }
            let state = integration.revokedAt.map { "revoked \(RFC3339.format($0))" } ?? "live"
            print(
                "\(integration.name) (\(integration.kind.rawValue)) for service \(integration.service): key \(integration.keyPrefix)…, \(state)"
            )
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a critical test alert through an integration, as its sender would: it opens or joins an incident and pages.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Integration id.") var id: String
        @Flag(help: "Resolve the test alert sent before.") var resolve = false

        func run() async throws {
            let (outcome, data) = try await client.client().call(
                .POST, "/api/v1/integrations/\(APIClient.segment(id))/test", body: ["resolve": resolve], as: IngestOutcome.self)
            if client.json {
                printJSON(data)
                return
            }
            let incident = outcome.incident.map { " (\($0))" } ?? ""
            print("Test alert \(outcome.change.rawValue)\(incident)\(outcome.silenced ? ", held back by a silence" : "").")
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give an integration a new name; its key stays.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Integration id.") var id: String
        @Argument(help: "The new name.") var name: String

        func run() async throws {
            let (integration, data) = try await client.client().call(
                .PATCH, "/api/v1/integrations/\(APIClient.segment(id))", body: ["name": name], as: Integration.self)
            if client.json {
                printJSON(data)
            } else {
                print("Renamed integration \(integration.id.uuidString) to \(integration.name).")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an integration.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Integration id.") var id: String

        func run() async throws {
            try client.confirm("Revoke integration \(id)? Alerts sent with its key are refused from now on.")
            let (integration, data) = try await client.client().call(
                .DELETE, "/api/v1/integrations/\(APIClient.segment(id))", as: Integration.self)
            if client.json { printJSON(data) } else { print("Revoked integration \(integration.name) of \(integration.service).") }
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set how a service groups alerts into incidents.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id.") var service: String
        @Option(name: .customLong("group-by"), help: "Label to group by (repeatable); none groups every alert together.") var groupBy:
            [String] = []
        @Option(help: "Join only incidents opened this recently, e.g. 4h.") var window: String = "4h"
        @Flag(help: "Resolve the incident by itself when all its alerts resolve.") var autoResolve = false

        func run() async throws {
            guard let seconds = DurationText.parse(window) else { throw ValidationError("--window must be \(DurationText.forms).") }
            let policy = AlertPolicy(groupBy: groupBy, groupWindowSeconds: seconds, autoResolve: autoResolve)
            let (_, data) = try await client.client().call(
                .PUT, "/api/v1/services/\(APIClient.segment(service))/alert-policy", body: policy, as: ServiceRecord.self)
            if client.json { printJSON(data) } else { print("Alert policy of \(service) updated.") }
        }
    }
}
