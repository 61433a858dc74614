import ArgumentParser
import Foundation
import MusterStore

struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Create and list services through the API.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a service.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id: lowercase letters, digits and dashes.") var id: String
        @Option(help: "Display name (defaults to the id).") var name: String?
        @Option(help: "What the service does.") var description: String?
        @Option(help: "Runbook URL.") var runbook: String?

        func run() async throws {
            let body = ["id": id, "name": name ?? id, "description": description, "runbookURL": runbook]
            let (service, data) = try await client.client().call(.POST, "/api/v1/services", body: body, as: ServiceRecord.self)
            if client.json { printJSON(data) } else { print("Created service \(service.id) (\(service.name)).") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List services.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (services, data) = try await client.client().call(.GET, "/api/v1/services", as: [ServiceRecord].self)
            if client.json {
                printJSON(data)
            } else {
                print(Table(header: ["ID", "NAME", "RUNBOOK", "DESCRIPTION"], rows: services.map {
                    [$0.id, $0.name, $0.runbookURL ?? "-", Display.truncate($0.description, 60)]
                }).render())
            }
        }
    }
}
