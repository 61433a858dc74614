import ArgumentParser
import Foundation
import MusterCore

extension StatusPageCommand {
    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "groups", abstract: "List the groups that gather components.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (groups, data) = try await client.client().list("/api/v1/status-groups", as: StatusComponentGroup.self)
            if client.json { return printJSON(data) }
            print(Table(header: ["ID", "NAME", "POSITION"], rows: groups.map { [$0.id, $0.name, String($0.position)] }).render())
        }
    }

    struct AddGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-group", abstract: "Add a group; put components in it with add-component --group.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Group id, e.g. payments.") var id: String
        @Option(help: "The heading customers read.") var name: String
        @Option(help: "Its place on the page, smallest first.") var position = 0

        func run() async throws {
            struct Body: Encodable {
                var id: String
                var name: String
                var position: Int
            }
            let (added, data) = try await client.client().call(
                .POST, "/api/v1/status-groups", body: Body(id: id, name: name, position: position), as: StatusComponentGroup.self)
            if client.json { return printJSON(data) }
            print("Added group \(added.id) (\(added.name)).")
        }
    }

    struct RemoveGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-group", abstract: "Remove a group no component is in.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Group id.") var id: String

        func run() async throws {
            try await deleteResource(
                client, "/api/v1/status-groups/\(APIClient.segment(id))", asking: "Remove group \(id)?", done: "Removed group \(id).")
        }
    }

    struct Settings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settings",
            abstract:
                "Show the page's settings, or replace them (admin) with --name and the other options; options left out go back to their defaults."
        )
        @OptionGroup var client: ClientOptions
        @Option(help: "The page's name; giving it replaces the settings.") var name: String?
        @Option(help: "An https image shown beside the name.") var logo: String?
        @Option(help: "#rrggbb, for links and the header's edge.") var accent: String?
        @Option(help: "IANA time zone the page's times are shown in.") var timeZone: String?
        @Option(name: .customLong("link"), help: "A header link as Label=https://… (repeatable).") var links: [String] = []
        @Option(name: .customLong("severity"), help: "A level's component status, e.g. P2=major_outage (repeatable).")
        var severities: [String] = []

        func validate() throws {
            for link in links where !link.contains("=") { throw ValidationError("--link must be Label=https://…, not '\(link)'.") }
            for pair in severities {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, ComponentStatus(rawValue: String(parts[1])) != nil else {
                    throw ValidationError("--severity must be LEVEL=status such as P2=major_outage, not '\(pair)'.")
                }
            }
            if name == nil, logo != nil || accent != nil || timeZone != nil || !links.isEmpty || !severities.isEmpty {
                throw ValidationError("Give --name too: the settings are replaced whole.")
            }
        }

        func run() async throws {
            let api = try client.client()
            guard let name else {
                let (settings, data) = try await api.call(.GET, "/api/v1/status-page/settings", as: StatusPageSettingsView.self)
                if client.json { return printJSON(data) }
                print(settings.text)
                return
            }
            struct Body: Encodable {
                var name: String
                var logoURL: String?
                var accentColor: String?
                var timeZone: String?
                var links: [StatusPageLink]
                var statusBySeverity: [String: String]
            }
            let body = Body(
                name: name, logoURL: logo, accentColor: accent, timeZone: timeZone,
                links: links.map { link in
                    let parts = link.split(separator: "=", maxSplits: 1).map(String.init)
                    return StatusPageLink(label: parts[0], url: parts.count > 1 ? parts[1] : "")
                },
                statusBySeverity: Dictionary(
                    severities.map { pair in
                        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                        return (parts[0], parts[1])
                    }, uniquingKeysWith: { _, last in last }))
            let (settings, data) = try await api.call(.PUT, "/api/v1/status-page/settings", body: body, as: StatusPageSettingsView.self)
            if client.json { return printJSON(data) }
            print(settings.text)
        }
    }

    /// The settings as the API answers them.
    struct StatusPageSettingsView: Decodable {
        var name: String
        var logoURL: String?
        var accentColor: String
        var timeZone: String
        var links: [StatusPageLink]
        var statusBySeverity: [String: String]

        var text: String {
            var lines = ["Name: \(name)", "Accent colour: \(accentColor)", "Time zone: \(timeZone)"]
            if let logoURL { lines.append("Logo: \(logoURL)") }
            lines += links.map { "Link: \($0.label) \($0.url)" }
            lines += statusBySeverity.sorted { $0.key < $1.key }.map { "\($0.key) gives: \($0.value)" }
            return lines.joined(separator: "\n")
        }
    }
}
