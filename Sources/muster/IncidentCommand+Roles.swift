import ArgumentParser
import Foundation
import MusterCore

extension IncidentCommand {
    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The roles an incident's response needs at its severity, for its team's size, and who holds them.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String

        struct View: Decodable {
            struct Need: Decodable {
                var title: String
                var holders: [String]
                var open: Bool
            }
            var size: String
            var needs: [Need]
            var commanderNeeded: Bool
        }

        func run() async throws {
            let (view, data) = try await client.client().call(.GET, "/api/v1/incidents/\(APIClient.segment(id))/roles", as: View.self)
            if client.json { return printJSON(data) }
            print("A \(view.size) response needs:")
            for need in view.needs { print("  \(need.title): \(need.open ? "open" : need.holders.joined(separator: ", "))") }
            if view.commanderNeeded { print("An incident commander is needed.") }
        }
    }
}

extension ResponseSize: ExpressibleByArgument {}
