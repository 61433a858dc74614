import ArgumentParser
import Foundation
import MusterCore

struct StatusPageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statuspage",
        abstract: "The public status page: components, groups, maintenance, subscribers, settings, and a static copy.",
        subcommands: [
            Components.self, AddComponent.self, RemoveComponent.self, SetStatus.self, ClearStatus.self, Groups.self, AddGroup.self,
            RemoveGroup.self, MaintenanceCommand.self, Subscribers.self, Settings.self, Export.self,
        ])

    /// A component as the API answers it: its settings and its status now.
    struct Shown: Decodable {
        var id: String
        var name: String
        var services: [String]
        var position: Int
        var status: ComponentStatus
        var statusReason: String?
    }

    static func describe(_ component: Shown) -> String {
        "\(component.id) (\(component.status.words))\(component.statusReason.map { ": \($0)" } ?? "")"
    }

    struct Components: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "components", abstract: "List the components with the status the page gives each now.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (components, data) = try await client.client().list("/api/v1/status-components", as: Shown.self)
            if client.json { return printJSON(data) }
            print(
                Table(
                    header: ["ID", "NAME", "SERVICES", "STATUS", "WHY"],
                    rows: components.map {
                        [$0.id, $0.name, $0.services.joined(separator: ","), $0.status.words, $0.statusReason ?? ""]
                    }
                ).render())
        }
    }

    struct AddComponent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-component", abstract: "Add a component to the page.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Component id, e.g. checkout.") var id: String
        @Option(help: "The name customers read.") var name: String
        @Option(name: .customLong("service"), help: "A service whose published incidents affect it (repeatable).")
        var services: [String] = []
        @Option(help: "Its place on the page, smallest first.") var position = 0
        @Option(help: "What it is.") var description: String?
        @Option(help: "The group it is shown in.") var group: String?
        @Flag(help: "Do not show its 90-day uptime.") var hideUptime = false

        func run() async throws {
            struct Body: Encodable {
                var id: String
                var name: String
                var services: [String]
                var position: Int
                var description: String?
                var groupID: String?
                var showUptime: Bool
            }
            let (added, data) = try await client.client().call(
                .POST, "/api/v1/status-components",
                body: Body(
                    id: id, name: name, services: services, position: position, description: description, groupID: group,
                    showUptime: !hideUptime), as: Shown.self)
            if client.json { return printJSON(data) }
            print("Added \(StatusPageCommand.describe(added)).")
        }
    }

    struct RemoveComponent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-component", abstract: "Remove a component from the page.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Component id.") var id: String

        func run() async throws {
            try await deleteResource(
                client, "/api/v1/status-components/\(APIClient.segment(id))", asking: "Remove \(id) from the status page?",
                done: "Removed \(id) from the status page.")
        }
    }

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status", abstract: "Set a component's status by hand; it wins over incidents until it ends or is cleared.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Component id.") var id: String
        @Argument(help: "operational, degraded_performance, partial_outage, major_outage or under_maintenance.")
        var status: ComponentStatus
        @Option(help: "Why, as the page shows it.") var reason: String
        @Option(name: .customLong("for"), help: "How long it holds, e.g. 2h; until cleared when left out.") var span: String?

        func run() async throws {
            struct Body: Encodable {
                var status: ComponentStatus
                var reason: String
                var `for`: String?
            }
            let (shown, data) = try await client.client().call(
                .PUT, "/api/v1/status-components/\(APIClient.segment(id))/override",
                body: Body(status: status, reason: reason, for: span), as: Shown.self)
            if client.json { return printJSON(data) }
            print("\(StatusPageCommand.describe(shown))\(span.map { " for \($0)" } ?? ", until cleared").")
        }
    }

    struct ClearStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear-status", abstract: "Clear a status set by hand; the component's status is derived again.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Component id.") var id: String

        func run() async throws {
            let (shown, data) = try await client.client().call(
                .DELETE, "/api/v1/status-components/\(APIClient.segment(id))/override", as: Shown.self)
            if client.json { return printJSON(data) }
            print("\(StatusPageCommand.describe(shown)).")
        }
    }
}

extension ComponentStatus: ExpressibleByArgument {}
