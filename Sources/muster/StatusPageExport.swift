import ArgumentParser
import Foundation
import MusterCore

extension StatusPageCommand {
    /// Writes the public page as static files, for hosting where Muster's own outage cannot reach.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the public page, its JSON and feeds as static files into a folder.",
            discussion: """
                Each page goes where its URL points (status/index.html, status/incidents/INC-…/index.html), \
                next to api/v2/*.json, history.atom, history.rss and the style sheets, so any static web server \
                (nginx, a bucket, a CDN) serves the same paths Muster does. Run it after changes, e.g. every \
                minute from cron. The subscription form needs Muster itself.
                """)
        @OptionGroup var client: ClientOptions
        @Argument(help: "The folder to write into; created if missing.") var folder: String

        func run() async throws {
            let api = try client.client()
            let root = URL(fileURLWithPath: folder, isDirectory: true)
            var written = 0
            func save(_ path: String, as file: String? = nil) async throws {
                let data = try await api.send(.GET, path)
                let target = root.appendingPathComponent(file ?? String(path.dropFirst()))
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: target, options: .atomic)
                written += 1
            }
            for document in [
                "summary.json", "status.json", "components.json", "incidents.json", "incidents/unresolved.json",
                "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
            ] {
                try await save("/api/v2/\(document)")
            }
            for feed in ["/history.atom", "/history.rss", "/status/theme.css", "/assets/status.css"] { try await save(feed) }
            try await save("/status", as: "status/index.html")
            try await save("/status/history", as: "status/history/index.html")
            struct Listed: Decodable { var id: String }
            struct Incidents: Decodable { var incidents: [Listed] }
            struct Maintenances: Decodable { var scheduled_maintenances: [Listed] }
            let incidents = try JSONDecoder().decode(
                Incidents.self, from: try Data(contentsOf: root.appendingPathComponent("api/v2/incidents.json")))
            for incident in incidents.incidents {
                try await save("/status/incidents/\(incident.id)", as: "status/incidents/\(incident.id)/index.html")
            }
            let maintenances = try JSONDecoder().decode(
                Maintenances.self, from: try Data(contentsOf: root.appendingPathComponent("api/v2/scheduled-maintenances.json")))
            for maintenance in maintenances.scheduled_maintenances {
                try await save("/status/maintenance/\(maintenance.id)", as: "status/maintenance/\(maintenance.id)/index.html")
            }
            if client.json { return printJSON(["folder": root.path, "files": String(written)]) }
            print("Wrote \(written) files to \(root.path).")
        }
    }
}
