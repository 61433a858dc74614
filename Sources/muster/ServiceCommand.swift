import ArgumentParser
import Foundation
import MusterCore
import MusterStore

struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Create, list, edit and delete services through the API.",
        subcommands: [Create.self, List.self, Edit.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a service.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id: lowercase letters, digits and dashes.") var id: String
        @Option(help: "Display name (defaults to the id).") var name: String?
        @Option(help: "What the service does.") var description: String?
        @Option(help: "Runbook URL.") var runbook: String?
        @Option(name: .customLong("depends-on"), help: "A service this one depends on; repeat for more.") var dependsOn: [String] = []
        @Option(help: "How many people its team brings to an incident: solo, small (the default) or large.") var responseSize: ResponseSize?

        func run() async throws {
            struct Body: Encodable {
                var id, name: String
                var description, runbookURL: String?
                var dependsOn: [String]?
                var responseSize: ResponseSize?
            }
            let body = Body(
                id: id, name: name ?? id, description: description, runbookURL: runbook, dependsOn: dependsOn.isEmpty ? nil : dependsOn,
                responseSize: responseSize)
            let (service, data) = try await client.client().call(.POST, "/api/v1/services", body: body, as: ServiceRecord.self)
            if client.json { printJSON(data) } else { print("Created service \(service.id) (\(service.name)).") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List services.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (services, data) = try await client.client().list("/api/v1/services", as: ServiceRecord.self)
            if client.json {
                printJSON(data)
            } else {
                print(
                    Table(
                        header: ["ID", "NAME", "RUNBOOK", "DESCRIPTION"],
                        rows: services.map {
                            [$0.id, $0.name, $0.runbookURL ?? "-", Display.truncate($0.description, 60)]
                        }
                    ).render())
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a service's name, description, runbook or dependencies.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "What the service does.") var description: String?
        @Option(help: "Runbook URL; an empty string removes it.") var runbook: String?
        @Option(name: .customLong("depends-on"), help: "A service this one depends on (replaces the list); repeat for more.")
        var dependsOn: [String] = []
        @Flag(help: "Depends on no other service.") var noDependencies = false
        @Option(help: "How many people its team brings to an incident: solo, small or large.") var responseSize: ResponseSize?

        func run() async throws {
            struct Body: Encodable {
                var name, description, runbookURL: String?
                var dependsOn: [String]?
                var responseSize: ResponseSize?
            }
            let body = Body(
                name: name, description: description, runbookURL: runbook, dependsOn: noDependencies ? [] : dependsOn.isEmpty ? nil : dependsOn,
                responseSize: responseSize)
            let (service, data) = try await client.client().call(
                .PATCH, "/api/v1/services/\(APIClient.segment(id))", body: body, as: ServiceRecord.self)
            if client.json { printJSON(data) } else { print("Updated service \(service.id) (\(service.name)).") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a service that no incident, integration or alert refers to.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id.") var id: String

        func run() async throws {
            try client.confirm("Delete service \(id)?")
            _ = try await client.client().send(.DELETE, "/api/v1/services/\(APIClient.segment(id))")
            if !client.json { print("Deleted service \(id).") }
        }
    }
}
