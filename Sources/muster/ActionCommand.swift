import ArgumentParser
import Foundation
import MusterCore

struct ActionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action", abstract: "Action items after incidents: list, add, move on.",
        subcommands: [List.self, Add.self, Update.self])

    static func line(_ item: ActionItem) -> String {
        "\(item.id.uuidString.lowercased()) [\(item.priority.rawValue), \(item.status.rawValue)] \(item.title) · \(item.owner)"
            + (item.dueAt.map { " · due \(Display.date($0))" } ?? "")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List action items, soonest due first.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Only yours: owned by the name of the token in use.") var mine = false
        @Option(help: "Only this person's.") var owner: String?
        @Flag(help: "Only those past their due date.") var overdue = false
        @Flag(help: "Those done or dropped too.") var all = false
        @Option(help: "Only this incident's.") var incident: String?

        func run() async throws {
            let api = try client.client()
            let who = mine ? "me" : owner
            var query = ["open=\(all ? "false" : "true")"]
            if let who { query.append("owner=\(APIClient.segment(who))") }
            if overdue { query.append("overdue=true") }
            if let incident { query.append("incident=\(APIClient.segment(incident))") }
            let (items, data) = try await api.list("/api/v1/action-items?\(query.joined(separator: "&"))", as: ActionItem.self)
            if client.json { return printJSON(data) }
            print(
                Table(
                    header: ["ID", "PRIORITY", "STATUS", "TITLE", "OWNER", "DUE", "INCIDENT"],
                    rows: items.map {
                        [
                            $0.id.uuidString.lowercased(), $0.priority.rawValue, $0.status.rawValue, $0.title, $0.owner,
                            $0.dueAt.map(Display.date) ?? "", $0.incidentReference ?? "",
                        ]
                    }
                ).render())
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an action item.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "What will change.") var title: String
        @Option(help: "Who does it.") var owner: String
        @Option(help: "P0, P1, P2 or P3.") var priority: ActionPriority
        @Option(help: "When it is due, e.g. 2026-12-20T17:00:00Z.") var due: String?
        @Option(help: "The incident it came from.") var incident: String?
        @Option(help: "Where it is tracked.") var ticket: String?

        func validate() throws {
            if let due, RFC3339.parse(due) == nil { throw ValidationError("--due must be a date and time such as 2026-12-20T17:00:00Z.") }
        }

        func run() async throws {
            struct Body: Encodable {
                var title, owner: String
                var priority: ActionPriority
                var dueAt, incident, ticketURL: String?
            }
            let (item, data) = try await client.client().call(
                .POST, "/api/v1/action-items",
                body: Body(title: title, owner: owner, priority: priority, dueAt: due, incident: incident, ticketURL: ticket),
                as: ActionItem.self)
            if client.json { return printJSON(data) }
            print("Added \(ActionCommand.line(item)).")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an action item on (open, in_progress, done, wont_do) or change it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Action item id.") var id: String
        @Option(help: "open, in_progress, done or wont_do.") var status: ActionStatus?
        @Option(help: "Why it will not be done (for wont_do).") var reason: String?
        @Option(help: "A new owner.") var owner: String?
        @Option(help: "A new due date.") var due: String?

        func run() async throws {
            struct Body: Encodable {
                var status: ActionStatus?
                var reason, owner, dueAt: String?
            }
            let (item, data) = try await client.client().call(
                .PATCH, "/api/v1/action-items/\(APIClient.segment(id))",
                body: Body(status: status, reason: reason, owner: owner, dueAt: due),
                as: ActionItem.self)
            if client.json { return printJSON(data) }
            print("Updated \(ActionCommand.line(item)).")
        }
    }
}

extension ActionPriority: ExpressibleByArgument {}
extension ActionStatus: ExpressibleByArgument {}
