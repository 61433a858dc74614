import Foundation
import MusterCore

/// `/insights`: the seeds' metrics for a period, with charts drawn as SVG on the server.
struct InsightsPage: PageModel {
    struct Bar: PageModel {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var label: String
    }

    struct Row: PageModel {
        var name: String
        var count: Int
        var median: String
        var p90: String
        var max: String
        var target: String
        var fallbacks: Int
        /// The median and the 90th percentile drawn against the longest of all rows.
        var medianWidth: Int
        var p90Width: Int
    }

    struct Share: PageModel {
        var label: String
        var value: String
        var width: Int
    }

    var person: [String: String]
    var periods: [PageViews.Option]
    var severities: [PageViews.Option]
    var services: [PageViews.Option]
    var range: String
    var incidents: Int
    var perWeek: String
    var weeks: [Bar]
    var chartWidth: Int
    var rows: [Row]
    var shares: [Share]
    var error: String?

    static let chartHeight = 120

    static func build(
        _ report: InsightsReport?, for signedIn: WebAuth.SignedIn, env: APIEnvironment, since: String, service: String?, severity: String?,
        error: String? = nil
    ) async throws -> InsightsPage {
        let serviceIDs = try await env.stores.services.services().map(\.id)
        let most = max(report?.weekly.max() ?? 0, 1)
        let barWidth = 24
        let weeks = (report?.weekly ?? []).enumerated().map { index, count in
            let height = Int(Double(count) / Double(most) * Double(chartHeight - 20))
            return Bar(
                x: index * (barWidth + 6), y: chartHeight - height, width: barWidth, height: height,
                label: "week \(index + 1): \(count) incident\(count == 1 ? "" : "s")")
        }
        let stats: [(String, DurationStats)] =
            report.map {
                [
                    ("Time to detect", $0.timeToDetect), ("Time to acknowledge", $0.timeToAcknowledge),
                    ("Time to mitigate", $0.timeToMitigate),
                    ("Time to resolve", $0.timeToResolve), ("Duration", $0.duration),
                ]
            } ?? []
        let longest = max(stats.compactMap(\.1.p90Seconds).max() ?? 1, 1)
        func span(_ seconds: Double?) -> String { seconds.map { DurationText.human($0) } ?? "—" }
        func width(_ seconds: Double?) -> Int { Int((seconds ?? 0) / longest * 200) }
        var shares: [Share] = []
        if let report {
            func share(_ label: String, _ part: Int, _ whole: Int) {
                shares.append(
                    Share(
                        label: label, value: whole == 0 ? "none" : "\(part) of \(whole)",
                        width: whole == 0 ? 0 : Int(Double(part) / Double(whole) * 200)))
            }
            share("Required post-mortems published", report.postmortemsPublished, report.postmortemsRequired)
            share("… published on time", report.postmortemsOnTime, report.postmortemsRequired)
            let items = report.actionItemsDone + report.actionItemsOpen
            share("Action items done", report.actionItemsDone, items)
            share("Action items overdue", report.actionItemsOverdue, items)
        }
        return InsightsPage(
            person: signedIn.view,
            periods: ["7d", "30d", "90d", "365d"].map { PageViews.Option(value: $0, label: "last \($0)", selected: $0 == since) },
            severities: [PageViews.Option(value: "", label: "every severity", selected: severity == nil)]
                + env.scheme.names.map { PageViews.Option(value: $0, label: $0, selected: $0 == severity) },
            services: [PageViews.Option(value: "", label: "every service", selected: service == nil)]
                + serviceIDs.map { PageViews.Option(value: $0, label: $0, selected: $0 == service) },
            range: report.map { "\(WebTime.text($0.from)) to \(WebTime.text($0.to))" } ?? "",
            incidents: report?.incidents ?? 0, perWeek: String(format: "%.1f", report?.perWeek ?? 0), weeks: weeks,
            chartWidth: max(weeks.count * (barWidth + 6), 60),
            rows: stats.map { name, stats in
                Row(
                    name: name, count: stats.count, median: span(stats.medianSeconds), p90: span(stats.p90Seconds),
                    max: span(stats.maxSeconds),
                    target: stats.withinTarget.map { "\(Int(($0 * 100).rounded())) %" } ?? "—", fallbacks: stats.fallbacks,
                    medianWidth: width(stats.medianSeconds), p90Width: width(stats.p90Seconds))
            },
            shares: shares, error: error)
    }
}
