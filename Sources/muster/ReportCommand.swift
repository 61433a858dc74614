import ArgumentParser
import Foundation
import MusterCore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "The seeds' metrics for a period: incidents, time to detect, acknowledge, mitigate and resolve, post-mortems, action items.")
    @OptionGroup var client: ClientOptions
    @Option(help: "The period up to now, e.g. 30d or 12w.") var since = "30d"
    @Option(help: "Only incidents on this service.") var service: String?
    @Option(help: "Only incidents at this level.") var severity: String?

    func run() async throws {
        var query = ["since=\(APIClient.segment(since))"]
        if let service { query.append("service=\(APIClient.segment(service))") }
        if let severity { query.append("severity=\(APIClient.segment(severity))") }
        let (report, data) = try await client.client().call(
            .GET, "/api/v1/insights/report?\(query.joined(separator: "&"))", as: InsightsReport.self)
        if client.json { return printJSON(data) }
        print(Self.text(report))
    }

    static func text(_ report: InsightsReport) -> String {
        func span(_ seconds: Double?) -> String { seconds.map { DurationText.human($0) } ?? "—" }
        func share(_ value: Double?) -> String { value.map { "\(Int(($0 * 100).rounded())) %" } ?? "—" }
        var lines = [
            "\(Display.date(report.from)) to \(Display.date(report.to)): \(report.incidents) incidents, \(String(format: "%.1f", report.perWeek)) a week",
            "By severity: " + report.bySeverity.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
        ]
        let rows = [
            ("time to detect", report.timeToDetect), ("time to acknowledge", report.timeToAcknowledge),
            ("time to mitigate", report.timeToMitigate), ("time to resolve", report.timeToResolve), ("duration", report.duration),
        ].map { name, stats in
            [
                name, String(stats.count), span(stats.medianSeconds), span(stats.p90Seconds), span(stats.maxSeconds),
                share(stats.withinTarget),
                String(stats.fallbacks),
            ]
        }
        lines.append("")
        lines.append(Table(header: ["", "N", "MEDIAN", "P90", "MAX", "IN TARGET", "STAND-INS"], rows: rows).render())
        lines.append("")
        lines.append(
            "Post-mortems: \(report.postmortemsPublished) of \(report.postmortemsRequired) required published, \(report.postmortemsOnTime) on time"
        )
        lines.append(
            "Action items: \(report.actionItemsDone) done (\(report.actionItemsDoneOnTime) on time), \(report.actionItemsOpen) open, \(report.actionItemsOverdue) overdue"
        )
        return lines.joined(separator: "\n")
    }
}
