import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The incident list: filters from the URL, so a filtered list can be shared; open incidents first.
struct IncidentListPage: PageModel {
    struct Row: PageModel {
        var reference: String
        var title: String
        var severity: String
        var severityRank: Int
        var status: String
        var statusLabel: String
        var open: Bool
        var detected: PageViews.Time
        var age: String
        var services: String
        var commander: String?
        /// Open and nobody commands it: part of triage.
        var commanderNeeded: Bool
        /// The target that matters now: acknowledge until acknowledged, then resolve.
        var target: IncidentDetailPage.Target?
        /// The update clock that falls due first.
        var clock: IncidentDetailPage.Clock?
    }

    var person: [String: String]
    var canWrite: Bool
    var rows: [Row]
    var hasRows: Bool
    var total: Int
    var first: Int
    var last: Int
    var previous: String?
    var next: String?
    var statuses: [PageViews.Option]
    var severities: [PageViews.Option]
    var services: [PageViews.Option]
    var ranges: [PageViews.Option]
    var sorts: [PageViews.Option]
    var mine: Bool
    var filtered: Bool
    var error: String?

    static let pageSize = 50
    static let ranges: [(String, String, TimeInterval?)] = [
        ("", "Any time", nil), ("24h", "Last 24 hours", 86_400), ("7d", "Last 7 days", 7 * 86_400),
        ("30d", "Last 30 days", 30 * 86_400), ("90d", "Last 90 days", 90 * 86_400),
    ]
    static let sorts: [(String, String)] = [
        ("-detectedAt", "Newest first"), ("detectedAt", "Oldest first"), ("-updatedAt", "Recently changed"),
        ("-resolvedAt", "Recently resolved"),
    ]

    /// The list for `parameters` as `signedIn` sees it.
    static func build(_ parameters: Parameters, for signedIn: WebAuth.SignedIn, env: APIEnvironment) async throws -> IncidentListPage {
        let now = env.now()
        let scheme = env.scheme
        let status = parameters.get("status") ?? ""
        let severity = parameters.get("severity") ?? ""
        let service = parameters.get("service") ?? ""
        let range = parameters.get("range") ?? ""
        let sort = parameters.get("sort") ?? "-detectedAt"
        let mine = parameters.get("mine") == "1"
        let pageNumber = max(1, min(Int(parameters.get("page") ?? "") ?? 1, 10_000))
        var error: String?

        var query = IncidentQuery(limit: pageSize, offset: (pageNumber - 1) * pageSize)
        query.openFirst = true
        switch status {
        case "": break
        case "open": query.statuses = IncidentStatus.allCases.filter(\.isOpen)
        default:
            if let chosen = IncidentStatus(rawValue: status) {
                query.statuses = [chosen]
            } else {
                error = "There is no status '\(status.prefix(40))'."
            }
        }
        if !severity.isEmpty {
            if let level = try? scheme.level(named: severity) {
                query.severities = [level.name]
            } else {
                error = "There is no severity '\(severity.prefix(40))'; the levels are \(scheme.names.joined(separator: ", "))."
            }
        }
        if !service.isEmpty { query.service = service }
        if let span = ranges.first(where: { $0.0 == range })?.2 { query.since = now.addingTimeInterval(-span) }
        if let time = IncidentTime(rawValue: String(sort.drop { $0 == "-" })) {
            query.sort = time
            query.descending = sort.hasPrefix("-")
        }
        if mine { query.involving = signedIn.user.id }

        async let services = env.stores.services.services()
        let page =
            error == nil
            ? try await env.stores.incidents.listIncidents(query) : IncidentPage(items: [], total: 0, limit: pageSize, offset: 0)
        let rows = page.items.map { row($0, scheme: scheme, now: now) }

        func link(page number: Int) -> String {
            var items = [
                ("status", status), ("severity", severity), ("service", service), ("range", range),
                ("sort", sort == "-detectedAt" ? "" : sort),
            ]
            if mine { items.append(("mine", "1")) }
            if number > 1 { items.append(("page", String(number))) }
            let query = items.filter { !$0.1.isEmpty }.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
            return "/incidents" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
        let statusChoices =
            [PageViews.Option(value: "", label: "Any status"), PageViews.Option(value: "open", label: "Open")]
            + IncidentStatus.allCases.map { PageViews.Option(value: $0.rawValue, label: PageViews.Matrix.label($0.rawValue)) }
        return IncidentListPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite, rows: rows, hasRows: !rows.isEmpty, total: page.total,
            first: rows.isEmpty ? 0 : page.offset + 1, last: page.offset + rows.count,
            previous: pageNumber > 1 ? link(page: pageNumber - 1) : nil,
            next: page.offset + rows.count < page.total ? link(page: pageNumber + 1) : nil,
            statuses: statusChoices.map { choice(status, $0) },
            severities: [PageViews.Option(value: "", label: "Any severity")] + PageViews.severities(scheme, selected: severity),
            services: [PageViews.Option(value: "", label: "Any service")]
                + (try await services).map { PageViews.Option(value: $0.id, label: $0.name, selected: $0.id == service) },
            ranges: Self.ranges.map { PageViews.Option(value: $0.0, label: $0.1, selected: $0.0 == range) },
            sorts: Self.sorts.map { PageViews.Option(value: $0.0, label: $0.1, selected: $0.0 == sort) }, mine: mine,
            filtered: !(status + severity + service + range).isEmpty || mine, error: error)
    }

    private static func choice(_ selected: String, _ option: PageViews.Option) -> PageViews.Option {
        var option = option
        option.selected = option.value == selected
        return option
    }

    static func row(_ incident: Incident, scheme: SeverityScheme, now: Date) -> Row {
        var target: IncidentDetailPage.Target?
        if incident.status.isOpen, let level = try? scheme.level(named: incident.severity) {
            let targets = ResponseTargets(incident: incident, severity: level, now: now)
            let (name, status) = incident.acknowledgedAt == nil ? ("Acknowledge", targets.acknowledge) : ("Resolve", targets.resolve)
            target = IncidentDetailPage.target(name, status)
        }
        return Row(
            reference: incident.reference, title: incident.title, severity: incident.severity,
            severityRank: PageViews.rank(incident.severity, in: scheme), status: incident.status.rawValue,
            statusLabel: PageViews.Matrix.label(incident.status.rawValue), open: incident.status.isOpen,
            detected: .init(incident.detectedAt), age: WebTime.span(now.timeIntervalSince(incident.detectedAt)),
            services: incident.services.joined(separator: ", "),
            commander: incident.roles.first { $0.role == .commander }?.assignee,
            commanderNeeded: incident.status.isOpen && incident.holders(of: .commander).isEmpty, target: target,
            clock: IncidentDetailPage.clocks(incident, scheme: scheme, now: now).min { $0.due.iso < $1.due.iso })
    }
}
