import ArgumentParser
import Foundation
import MusterCore
import MusterStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit log of configuration changes, newest first (admin token).")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this kind: service, integration, user, team, schedule, escalation-policy, silence or token.") var kind: String?
    @Option(help: "Only this object's id.") var subject: String?
    @Option(help: "Only changes by this token name.") var actor: String?
    @Option(help: "Only changes at or after this time (RFC 3339, or a duration back from now: 24h, 7d).") var since: String?
    @Option(help: "How many changes to show, at most 500.") var limit = 50

    func run() async throws {
        var query = ["limit=\(limit)"]
        for (name, value) in [("kind", kind), ("subject", subject), ("actor", actor)] {
            if let value { query.append("\(name)=\(APIClient.segment(value))") }
        }
        if let since {
            let date: Date
            if let seconds = DurationText.parse(since), seconds > 0 {
                date = Date().addingTimeInterval(-Double(seconds))
            } else if let parsed = RFC3339.parse(since) {
                date = parsed
            } else {
                throw ValidationError("--since must be an RFC 3339 time or \(DurationText.forms) back from now; got '\(since)'.")
            }
            query.append("since=\(APIClient.segment(RFC3339.format(date)))")
        }
        let (events, data) = try await client.client().list("/api/v1/audit?" + query.joined(separator: "&"), as: AuditEvent.self)
        if client.json {
            printJSON(data)
            return
        }
        let rows = events.map { event in
            [
                Display.date(event.at), event.actor, "\(event.kind) \(event.subject)", event.action,
                Display.truncate(event.changedFields.joined(separator: ", "), 60),
            ]
        }
        print(Table(header: ["WHEN", "WHO", "WHAT", "REQUEST", "CHANGED"], rows: rows).render())
    }
}
