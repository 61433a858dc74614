import ArgumentParser
import Foundation
import MusterCore

/// Deletes `path` and prints `done`, for the commands that remove something; on a terminal it
/// asks first (`--yes` does not).
func deleteResource(_ client: ClientOptions, _ path: String, asking question: String, done: String) async throws {
    try client.confirm(question)
    _ = try await client.client().send(.DELETE, path)
    if !client.json { print(done) }
}

extension ScheduleCommand {
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a schedule or change the time zone it is shown in.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "IANA time zone it is shown in.") var timeZone: String?

        func run() async throws {
            let (record, data) = try await client.client().call(
                .PATCH, "/api/v1/schedules/\(APIClient.segment(id))", body: ["name": name, "timeZone": timeZone], as: ScheduleRecord.self)
            if client.json { printJSON(data) } else { print("Updated schedule \(record.id) (\(record.name), \(record.timeZone)).") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a schedule no policy or running escalation names.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String

        func run() async throws {
            try await deleteResource(
                client, "/api/v1/schedules/\(APIClient.segment(id))", asking: "Delete schedule \(id)?", done: "Deleted schedule \(id).")
        }
    }

    struct Overrides: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a schedule's overrides with their ids.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String

        func run() async throws {
            let (overrides, data) = try await client.client().list(
                "/api/v1/schedules/\(APIClient.segment(id))/overrides", as: ScheduleOverride.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["OVERRIDE", "USER", "FROM", "UNTIL"],
                    rows: overrides.map {
                        [$0.id.uuidString, $0.user, Display.date($0.start), Display.date($0.end)]
                    }
                ).render())
        }
    }

    struct OverrideEdit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "override-edit", abstract: "Change who stands in, or when, for one override.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Argument(help: "Override id (see schedule overrides).") var override: String
        @Option(help: "Who stands in.") var user: String?
        @Option(help: "From (RFC 3339).") var start: String?
        @Option(help: "Until (RFC 3339).") var end: String?

        func run() async throws {
            let path = "/api/v1/schedules/\(APIClient.segment(id))/overrides/\(APIClient.segment(override))"
            let (record, data) = try await client.client().call(
                .PATCH, path, body: ["user": user, "start": start, "end": end], as: ScheduleRecord.self)
            if client.json { printJSON(data) } else { print("Changed an override of \(record.id).") }
        }
    }

    struct OverrideRemove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "override-remove", abstract: "Remove one override.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Argument(help: "Override id (see schedule overrides).") var override: String

        func run() async throws {
            let path = "/api/v1/schedules/\(APIClient.segment(id))/overrides/\(APIClient.segment(override))"
            try client.confirm("Remove override \(override) from schedule \(id)?")
            let (record, data) = try await client.client().call(.DELETE, path, as: ScheduleRecord.self)
            if client.json {
                printJSON(data)
            } else {
                print("Removed the override; \(record.id) has \(record.schedule.overrides.count) left.")
            }
        }
    }
}

extension PolicyCommand {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a policy's name, levels and repeats as its next version; running escalations keep theirs.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Policy id.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(name: .customLong("level"), help: "Targets and delay, e.g. user:ann,team:ops@5m (repeatable, in order).") var levels:
            [String]
        @Option(help: "How many more times to walk the levels when nobody acknowledges.") var repeats: Int = 0

        func run() async throws {
            let parsed = try levels.map(Create.parseLevel)
            let policy: EscalationPolicy
            do { policy = try EscalationPolicy(id: id, name: name, levels: parsed, repeats: repeats) } catch {
                throw ValidationError(error.message)
            }
            let (updated, data) = try await client.client().call(
                .PUT, "/api/v1/escalation-policies/\(APIClient.segment(id))", body: policy, as: EscalationPolicy.self)
            if client.json { printJSON(data) } else { print("Updated escalation policy \(updated.id) to version \(updated.version).") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a policy no service pages through.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Policy id.") var id: String

        func run() async throws {
            try await deleteResource(
                client, "/api/v1/escalation-policies/\(APIClient.segment(id))", asking: "Delete escalation policy \(id)?",
                done: "Deleted escalation policy \(id).")
        }
    }
}

extension TeamCommand {
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a team or replace its members.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Team id.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(name: .customLong("member"), help: "A member's user id (repeatable); replaces the members.") var members: [String] = []

        func run() async throws {
            struct Body: Encodable {
                var name: String?
                var members: [String]?
            }
            let (team, data) = try await client.client().call(
                .PATCH, "/api/v1/teams/\(APIClient.segment(id))", body: Body(name: name, members: members.isEmpty ? nil : members),
                as: Team.self)
            if client.json { printJSON(data) } else { print("Updated team \(team.id): \(team.members.joined(separator: ", ")).") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a team no policy or running escalation names.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Team id.") var id: String

        func run() async throws {
            try await deleteResource(
                client, "/api/v1/teams/\(APIClient.segment(id))", asking: "Delete team \(id)?", done: "Deleted team \(id).")
        }
    }
}
