import ArgumentParser
import Foundation
import MusterCore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "People who can be paged.",
        subcommands: [
            Create.self, List.self, Show.self, Edit.self, Deactivate.self, Reactivate.self, Contact.self, ContactEdit.self,
            ContactRemove.self,
            Test.self, Password.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id: lowercase letters, digits and dashes.") var id: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Email address.") var email: String
        @Option(help: "IANA time zone, e.g. Europe/Berlin.") var timeZone: String = "UTC"
        @Option(help: "What they may do when signed in: viewer, responder or admin (admin needs an admin token).")
        var role: String = "responder"

        func run() async throws {
            let (user, data) = try await client.client().call(
                .POST, "/api/v1/users", body: ["id": id, "name": name, "email": email, "timeZone": timeZone, "role": role], as: User.self)
            if client.json {
                printJSON(data)
            } else {
                print("Created user \(user.id) (\(user.name), \(user.timeZone), \(user.role.rawValue)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (users, data) = try await client.client().list("/api/v1/users", as: User.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["ID", "NAME", "EMAIL", "TIME ZONE", "ROLE", "CONTACTS"],
                    rows: users.map {
                        [
                            $0.id, $0.name, $0.email, $0.timeZone, $0.role.rawValue,
                            $0.contactMethods.map(\.kind.rawValue).joined(separator: ","),
                        ]
                    }
                ).render())
        }
    }

    struct Contact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a contact method to a user.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String
        @Option(help: "email, webhook or slack.") var kind: String
        @Option(help: "Email address or URL.") var address: String

        func run() async throws {
            let kind = try parseOption(ContactMethod.Kind.self, kind, "--kind")
            let (user, data) = try await client.client().call(
                .POST, "/api/v1/users/\(APIClient.segment(id))/contact-methods", body: ["kind": kind.rawValue, "address": address],
                as: User.self)
            if client.json { printJSON(data) } else { print("\(user.id) now has \(user.contactMethods.count) contact methods.") }
        }
    }
}

extension UserCommand {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a test message to each of a user's contact methods.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String

        func run() async throws {
            let api = try client.client()
            let (user, _) = try await api.call(.GET, "/api/v1/users/\(APIClient.segment(id))", as: User.self)
            var failures = 0
            for method in user.contactMethods {
                do {
                    _ = try await api.call(
                        .POST, "/api/v1/users/\(APIClient.segment(id))/contact-methods/\(method.id.uuidString)/test", as: User.self)
                    print("ok    \(method.kind.rawValue) \(method.address)")
                } catch {
                    failures += 1
                    print("FAIL  \(method.kind.rawValue) \(method.address): \(error)")
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Groups of people sharing on-call duty.",
        subcommands: [Create.self, List.self, Edit.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Team id.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(name: .customLong("member"), help: "A member's user id (repeatable).") var members: [String] = []

        func run() async throws {
            struct Body: Encodable {
                var id: String
                var name: String
                var members: [String]
            }
            let (team, data) = try await client.client().call(
                .POST, "/api/v1/teams", body: Body(id: id, name: name, members: members), as: Team.self)
            if client.json { printJSON(data) } else { print("Created team \(team.id) with \(team.members.count) members.") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (teams, data) = try await client.client().list("/api/v1/teams", as: Team.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(header: ["ID", "NAME", "MEMBERS"], rows: teams.map { [$0.id, $0.name, $0.members.joined(separator: ", ")] }).render())
        }
    }
}

/// `muster oncall`: who is on call now on every schedule, and when it changes hands.
struct OnCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "oncall", abstract: "Who is on call now, and the next handoffs.")
    @OptionGroup var client: ClientOptions

    struct Entry: Decodable {
        var schedule: String
        var name: String
        var user: String?
        var next: Shift?
    }

    func run() async throws {
        let (entries, data) = try await client.client().list("/api/v1/oncall", as: Entry.self)
        if client.json {
            printJSON(data)
            return
        }
        print(
            Table(
                header: ["SCHEDULE", "ON CALL NOW", "NEXT", "FROM"],
                rows: entries.map {
                    [$0.name, $0.user ?? "nobody", $0.next?.user ?? "-", $0.next.map { Display.date($0.start) } ?? "-"]
                }
            ).render())
    }
}
