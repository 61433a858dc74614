import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/insights/report`: the seeds' metrics for a period, optionally for one service and
/// one severity.
struct InsightsController {
    let env: APIEnvironment

    /// The period and filters a request asks for: `since` (such as `30d`, the default) or `from`
    /// and `to`, and `service` and `severity`.
    struct Period: Sendable {
        var from: Date
        var to: Date
        var service: String?
        var severity: String?

        static func read(_ parameters: [String: String], env: APIEnvironment) async throws -> Period {
            let now = env.now()
            let span = try APICoding.timeSpan({ parameters[$0] }, now: now)
            let from = span.from ?? now.addingTimeInterval(-30 * 86_400)
            let to = span.to ?? now
            guard from < to else { throw Problem.invalid("from", "'from' must be before 'to'.") }
            guard to.timeIntervalSince(from) <= 2 * 366 * 86_400 else {
                throw Problem.invalid("from", "A report covers at most two years.")
            }
            let severity = parameters["severity"]
            if let severity, env.scheme.rank(of: severity) == nil {
                throw Problem.invalid(
                    "severity", "'severity' is '\(severity.prefix(20))', which is not one of \(env.scheme.names.joined(separator: ", ")).")
            }
            try await env.requireServiceFilter(parameters["service"])
            return Period(from: from, to: to, service: parameters["service"], severity: severity)
        }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.get("insights/report") { request, _ -> InsightsReport in
            var parameters: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
            if let unknown = parameters.keys.sorted().first(where: { !["since", "from", "to", "service", "severity"].contains($0) }) {
                throw Problem.invalid(unknown, "'\(unknown.prefix(40))' is not a filter of the report: since, from, to, service, severity.")
            }
            return try await Self.report(try await Period.read(parameters, env: env), env: env)
        }
    }

    static func report(_ period: Period, env: APIEnvironment) async throws -> InsightsReport {
        let store = env.stores.learning
        async let incidents = store.incidentTimes(from: period.from, to: period.to, service: period.service, severity: period.severity)
        async let postmortems = store.postmortems(state: nil)
        async let items = store.actionItems(ActionItemQuery())
        return InsightsReport(
            from: period.from, to: period.to, times: try await incidents, postmortems: try await postmortems,
            actionItems: try await items, scheme: env.scheme, policy: env.postmortemPolicy, now: env.now())
    }
}

extension InsightsReport: ResponseEncodable {}
