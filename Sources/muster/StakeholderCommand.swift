import ArgumentParser
import Foundation
import MusterCore
import MusterStore

struct StakeholderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stakeholders", abstract: "Stakeholder groups and announcement channels: who hears of incidents.",
        discussion: """
            A group in mode 'updates' hears the declaration, every internal update, severity changes and the resolution; \
            'summary' all of those but the updates (an executive summary); 'announcements' the declaration only.
            """,
        subcommands: [Create.self, List.self, Update.self, Delete.self])

    /// The body the API takes.
    struct Body: Codable {
        struct Member: Codable {
            var kind: ContactMethod.Kind
            var address: String
        }

        var id: String
        var name: String
        var mode: StakeholderMode
        var members: [Member]
        var services: [String]
        var minimumSeverity: String?

        init(_ group: StakeholderGroup) {
            id = group.id
            name = group.name
            mode = group.mode
            members = group.members.map { Member(kind: $0.kind, address: $0.address) }
            services = group.services
            minimumSeverity = group.minimumSeverity
        }

        init(id: String, name: String, mode: StakeholderMode, members: [Member], services: [String], minimumSeverity: String?) {
            self.id = id
            self.name = name
            self.mode = mode
            self.members = members
            self.services = services
            self.minimumSeverity = minimumSeverity
        }
    }

    /// `email:ann@example.com`, `webhook:https://…` or `slack:https://…`.
    static func member(_ text: String) throws -> Body.Member {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = ContactMethod.Kind(rawValue: parts[0]) else {
            throw ValidationError("--member '\(text.prefix(80))' must be email:ADDRESS, webhook:URL or slack:URL.")
        }
        return Body.Member(kind: kind, address: parts[1])
    }

    static func describe(_ group: StakeholderGroup) -> String {
        let services = group.services.isEmpty ? "every service" : group.services.joined(separator: ", ")
        let level = group.minimumSeverity.map { "\($0) or worse" } ?? "every severity"
        return "\(group.id) (\(group.mode.rawValue)): \(services), \(level), \(group.members.count) member(s)"
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a stakeholder group or announcement channel.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Group id, e.g. leadership.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(help: "updates, summary or announcements.") var mode: StakeholderMode = .updates
        @Option(name: .customLong("member"), help: "email:ADDRESS, webhook:URL or slack:URL (repeatable).") var members: [String]
        @Option(name: .customLong("service"), help: "A service it follows (repeatable); none for every service.")
        var services: [String] = []
        @Option(help: "The least severe level it hears of, e.g. P2; every level when left out.") var minSeverity: String?

        func run() async throws {
            let body = Body(
                id: id, name: name, mode: mode, members: try members.map(StakeholderCommand.member), services: services,
                minimumSeverity: minSeverity)
            let (created, data) = try await client.client().call(.POST, "/api/v1/stakeholder-groups", body: body, as: StakeholderGroup.self)
            if client.json { return printJSON(data) }
            print("Created \(StakeholderCommand.describe(created)).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stakeholder groups.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (groups, data) = try await client.client().list("/api/v1/stakeholder-groups", as: StakeholderGroup.self)
            if client.json { return printJSON(data) }
            print(
                Table(
                    header: ["ID", "NAME", "MODE", "SERVICES", "FROM", "MEMBERS"],
                    rows: groups.map { group in
                        [
                            group.id, group.name, group.mode.rawValue,
                            group.services.isEmpty ? "all" : group.services.joined(separator: ","),
                            group.minimumSeverity ?? "all",
                            group.members.map { "\($0.kind.rawValue):\($0.address)" }.joined(separator: " "),
                        ]
                    }
                ).render())
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a group: what is given replaces what it had; the rest stays.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Group id.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "updates, summary or announcements.") var mode: StakeholderMode?
        @Option(name: .customLong("member"), help: "The members, replacing all of them (repeatable).") var members: [String] = []
        @Option(name: .customLong("service"), help: "The services followed, replacing them (repeatable).") var services: [String] = []
        @Flag(help: "Follow every service.") var allServices = false
        @Option(help: "The least severe level it hears of, or 'all'.") var minSeverity: String?

        func run() async throws {
            let api = try client.client()
            let path = "/api/v1/stakeholder-groups/\(APIClient.segment(id))"
            var body = Body(try await api.call(.GET, path, as: StakeholderGroup.self).0)
            if let name { body.name = name }
            if let mode { body.mode = mode }
            if !members.isEmpty { body.members = try members.map(StakeholderCommand.member) }
            if !services.isEmpty { body.services = services }
            if allServices { body.services = [] }
            if let minSeverity { body.minimumSeverity = minSeverity == "all" ? nil : minSeverity }
            let (updated, data) = try await api.call(.PUT, path, body: body, as: StakeholderGroup.self)
            if client.json { return printJSON(data) }
            print("Updated \(StakeholderCommand.describe(updated)).")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a stakeholder group; messages already queued still go out.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Group id.") var id: String

        func run() async throws {
            try await deleteResource(
                client, "/api/v1/stakeholder-groups/\(APIClient.segment(id))", asking: "Delete stakeholder group \(id)?",
                done: "Deleted stakeholder group \(id).")
        }
    }
}

extension StakeholderMode: ExpressibleByArgument {}
