import ArgumentParser
import Foundation
import MusterCore

extension UserCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user with the ids of their contact methods.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String

        func run() async throws {
            let (user, data) = try await client.client().call(.GET, "/api/v1/users/\(APIClient.segment(id))", as: User.self)
            if client.json {
                printJSON(data)
                return
            }
            print("\(user.id): \(user.name) <\(user.email)>, \(user.timeZone), \(user.role.rawValue)")
            print(
                Table(
                    header: ["CONTACT", "KIND", "ADDRESS", "VERIFIED"],
                    rows: user.contactMethods.map {
                        [$0.id.uuidString, $0.kind.rawValue, $0.address, $0.verifiedAt.map(RFC3339.format) ?? "-"]
                    }
                ).render())
        }
    }

    struct ContactEdit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contact-edit", abstract: "Give a contact method a new address; it must be tested again.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String
        @Argument(help: "Contact method id (see user show).") var contact: String
        @Option(help: "The new email address or URL.") var address: String

        func run() async throws {
            let path = "/api/v1/users/\(APIClient.segment(id))/contact-methods/\(APIClient.segment(contact))"
            let (user, data) = try await client.client().call(.PATCH, path, body: ["address": address], as: User.self)
            if client.json { printJSON(data) } else { print("Changed a contact method of \(user.id).") }
        }
    }

    struct ContactRemove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "contact-remove", abstract: "Remove a contact method.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String
        @Argument(help: "Contact method id (see user show).") var contact: String

        func run() async throws {
            let path = "/api/v1/users/\(APIClient.segment(id))/contact-methods/\(APIClient.segment(contact))"
            try client.confirm("Remove contact method \(contact) of \(id)? They are paged no more through it.")
            let (user, data) = try await client.client().call(.DELETE, path, as: User.self)
            if client.json { printJSON(data) } else { print("\(user.id) now has \(user.contactMethods.count) contact methods.") }
        }
    }
}

extension UserCommand {
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's name, email, time zone or role.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String
        @Option(help: "Full name.") var name: String?
        @Option(help: "Email address.") var email: String?
        @Option(help: "IANA time zone, e.g. Europe/Berlin.") var timeZone: String?
        @Option(help: "viewer, responder or admin (needs an admin token).") var role: String?

        func run() async throws {
            let body = ["name": name, "email": email, "timeZone": timeZone, "role": role]
            let (user, data) = try await client.client().call(.PATCH, "/api/v1/users/\(APIClient.segment(id))", body: body, as: User.self)
            if client.json {
                printJSON(data)
            } else {
                print("Updated user \(user.id) (\(user.name), \(user.email), \(user.timeZone), \(user.role.rawValue)).")
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop paging someone: they leave every schedule, escalation policy and team; prints what changed.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String

        struct Answer: Decodable {
            var user: User
            var changes: [String]
        }

        func run() async throws {
            try client.confirm("Deactivate \(id)? They leave every schedule, policy level and team, and are paged no more.")
            let (answer, data) = try await client.client().call(
                .POST, "/api/v1/users/\(APIClient.segment(id))/deactivate", as: Answer.self)
            if client.json {
                printJSON(data)
                return
            }
            print("Deactivated \(answer.user.id): paged no more.")
            for change in answer.changes { print("  \(change)") }
            if answer.changes.isEmpty { print("  No schedule, policy or team named them.") }
        }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a deactivated user be named in schedules, policies and teams again.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "User id.") var id: String

        func run() async throws {
            let (user, data) = try await client.client().call(.POST, "/api/v1/users/\(APIClient.segment(id))/reactivate", as: User.self)
            if client.json { printJSON(data) } else { print("Reactivated \(user.id); add them to schedules and policies again as needed.") }
        }
    }
}
