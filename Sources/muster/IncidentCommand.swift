import ArgumentParser
import Foundation
import MusterCore

struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "Declare and run incidents through the API.",
        subcommands: [
            Declare.self, List.self, Show.self, Ack.self, Escalate.self, Reassign.self, Status.self, SeverityChange.self, Role.self,
            Note.self, Update.self,
            Resolve.self, Close.self, Reopen.self, Edit.self, Roles.self,
        ])

    struct Declare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare a new incident.")
        @OptionGroup var client: ClientOptions
        @Option(help: "What is wrong, in one line.") var title: String
        @Option(help: "More detail.") var summary: String?
        @Option(help: "Severity such as P1; omit to let --user-impact and --business-impact propose one.") var severity: String?
        @Option(name: .customLong("service"), help: "Affected service id (repeatable).") var services: [String] = []
        @Option(help: "all, many, some or few.") var userImpact: String?
        @Option(help: "revenue_loss, significant, moderate or low.") var businessImpact: String?
        @Option(help: "Users affected, as a count.") var usersAffected: Int?
        @Option(help: "Users affected, as a percentage.") var usersAffectedPercent: Double?
        @Flag(help: "Customers can see the problem.") var customerFacing = false
        @Flag(help: "Data has been lost.") var dataLoss = false
        @Flag(help: "Security is involved.") var security = false
        @Option(help: "Incident commander to assign at once.") var commander: String?
        @Option(help: "When the problem was noticed, if before now: RFC 3339 or a time today such as 14:38.") var detectedAt: String?
        @Option(help: "When the impact began: RFC 3339 or a time today such as 14:20.") var impactStarted: String?
        @Option(help: "The incident's chat channel, as a link.") var channel: String?
        @Option(help: "The incident's call bridge, as a link.") var bridge: String?

        func run() async throws {
            let impact = Impact(
                usersAffectedCount: usersAffected, usersAffectedPercent: usersAffectedPercent,
                userImpact: try userImpact.map { try parseOption(UserImpact.self, $0, "--user-impact") },
                businessImpact: try businessImpact.map { try parseOption(BusinessImpact.self, $0, "--business-impact") },
                customerFacing: customerFacing, dataLoss: dataLoss, security: security)
            let declaration = IncidentDeclaration(
                title: title, summary: summary, services: services, severity: severity, impact: impact,
                impactStartedAt: try impactStarted.map { try parseWhen($0, option: "--impact-started") },
                detectedAt: try detectedAt.map { try parseWhen($0, option: "--detected-at") }, commander: commander, channel: channel,
                bridge: bridge)
            let (view, data) = try await client.client().call(.POST, "/api/v1/incidents", body: declaration, as: IncidentWithTargets.self)
            if client.json {
                printJSON(data)
                return
            }
            print("Declared \(IncidentText.summaryLine(view))")
            print(try await PagedReport.declared(view.incident.reference, client: try client.client()))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List incidents, newest first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Status filter: open, or statuses separated by commas.") var status: String?
        @Option(help: "Severity filter, separated by commas.") var severity: String?
        @Option(help: "Only incidents affecting this service.") var service: String?
        @Option(help: "Detected (or --time) at or after (ISO 8601).") var since: String?
        @Option(help: "Detected (or --time) before (ISO 8601).") var until: String?
        @Option(help: "The time --since and --until apply to: \(timeNames).") var time: String?
        @Option(
            parsing: .unconditional, help: "Order by one of \(timeNames), oldest first; prefix '-' for newest first (default -detectedAt).")
        var sort: String?
        @Option(help: "Page size (1–200).") var limit: Int = 50
        @Option(help: "Skip this many.") var offset: Int = 0

        func run() async throws {
            var items = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "offset", value: String(offset))]
            let filters = [
                ("status", status), ("severity", severity), ("service", service), ("since", since), ("until", until), ("time", time),
                ("sort", sort),
            ]
            for (name, value) in filters {
                if let value { items.append(URLQueryItem(name: name, value: value)) }
            }
            var components = URLComponents()
            components.queryItems = items
            let query = components.percentEncodedQuery ?? ""
            let (list, data) = try await client.client().call(.GET, "/api/v1/incidents?\(query)", as: IncidentList.self)
            if client.json { printJSON(data) } else { print(IncidentText.table(list)) }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change an incident's title, status page name, summary, services, detection time, impact start, chat channel or call bridge; each change goes on the timeline."
        )
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "A new title.") var title: String?
        @Option(help: "The name customers read on the status page; empty goes back to the title.") var publicName: String?
        @Option(help: "A new summary.") var summary: String?
        @Option(name: .customLong("service"), help: "The affected services, replacing the current list (repeatable).") var services:
            [String] = []
        @Option(help: "When the problem was noticed: RFC 3339 or a time today such as 14:38.") var detectedAt: String?
        @Option(help: "When the impact began: RFC 3339 or a time today such as 14:20.") var impactStarted: String?
        @Option(help: "The chat channel, as a link; empty removes it.") var channel: String?
        @Option(help: "The call bridge, as a link; empty removes it.") var bridge: String?

        func run() async throws {
            struct Body: Encodable {
                var title, publicName, summary: String?
                var services: [String]?
                var detectedAt, impactStartedAt: String?
                var channel, bridge: String?
            }
            let body = Body(
                title: title, publicName: publicName, summary: summary, services: services.isEmpty ? nil : services,
                detectedAt: try detectedAt.map { RFC3339.format(try parseWhen($0, option: "--detected-at")) },
                impactStartedAt: try impactStarted.map { RFC3339.format(try parseWhen($0, option: "--impact-started")) }, channel: channel,
                bridge: bridge)
            let (view, data) = try await client.client().call(
                .PATCH, "/api/v1/incidents/\(APIClient.segment(id))", body: body, as: IncidentWithTargets.self)
            if client.json { printJSON(data) } else { print("Edited: \(IncidentText.summaryLine(view))") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an incident with its timeline.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id, e.g. INC-2026-0001.") var id: String

        func run() async throws {
            let (detail, data) = try await client.client().call(.GET, "/api/v1/incidents/\(APIClient.segment(id))", as: IncidentDetail.self)
            if client.json { printJSON(data) } else { print(IncidentText.detail(detail)) }
        }
    }
}

/// The lifecycle times lists filter and sort by.
let timeNames = "impactStartedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt, closedAt, updatedAt"

/// Parses a string enum option, naming the option and the accepted values on failure.
func parseOption<T: StrictStringEnum>(_ type: T.Type, _ text: String, _ option: String) throws -> T {
    guard let value = T(rawValue: text) else { throw ValidationError("\(option) must be one of: \(T.allowedValues).") }
    return value
}

/// Sends one incident action and prints the result.
func perform(_ client: ClientOptions, _ id: String, _ action: String, body: (any Encodable)?, done: String) async throws {
    let (view, data) = try await client.client().call(
        .POST, "/api/v1/incidents/\(APIClient.segment(id))/\(action)", body: body, as: IncidentWithTargets.self)
    if client.json { printJSON(data) } else { print("\(done): \(IncidentText.summaryLine(view))") }
}
