import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// Reads `GET /api/v1/incidents` query parameters into an `IncidentQuery`, rejecting what it cannot read.
struct IncidentQueryParser {
    let scheme: SeverityScheme

    func parse(_ parameters: Parameters) throws -> IncidentQuery {
        var query = IncidentQuery()
        if let text = parameters.get("status") {
            query.statuses = try Self.names(text).flatMap { name -> [IncidentStatus] in
                if name == "open" { return IncidentStatus.allCases.filter(\.isOpen) }
                guard let status = IncidentStatus(rawValue: name) else {
                    throw Problem.invalid(
                        "status", "'status' has '\(name.prefix(40))'; use open or one of: \(IncidentStatus.allowedValues).")
                }
                return [status]
            }
        }
        if let text = parameters.get("severity") {
            query.severities = try Self.names(text).map { name -> String in
                do { return try scheme.level(named: name).name } catch let error as IncidentError {
                    throw Problem.invalid("severity", error.message)
                }
            }
        }
        query.service = try APICoding.service(parameters)
        if let text = parameters.get("time") { query.time = try time(text, "time") }
        if let text = parameters.get("sort") {
            query.descending = text.hasPrefix("-")
            query.sort = try time(String(text.drop { $0 == "-" || $0 == "+" }), "sort")
        }
        query.since = try date(parameters, "since")
        query.until = try date(parameters, "until")
        if let since = query.since, let until = query.until, since >= until {
            throw Problem.invalid("until", "'until' must be later than 'since'.")
        }
        query.limit = try APICoding.integer(parameters, "limit", range: 1...IncidentQuery.maxLimit) ?? 50
        query.offset = try APICoding.offset(parameters)
        return query
    }

    /// The comma-separated names in a parameter, trimmed.
    private static func names(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func time(_ name: String, _ parameter: String) throws -> IncidentTime {
        guard let time = IncidentTime(rawValue: name) else {
            let hint = parameter == "sort" ? " (prefix '-' for newest first)" : ""
            throw Problem.invalid(parameter, "'\(parameter)' has '\(name.prefix(40))'; use one of: \(IncidentTime.allowedValues)\(hint).")
        }
        return time
    }

    private func date(_ parameters: Parameters, _ name: String) throws -> Date? {
        guard let text = parameters.get(name) else { return nil }
        guard let date = APICoding.parseDate(text) else {
            throw Problem.invalid(name, "'\(name)' must be an ISO 8601 date-time such as 2026-11-22T09:30:00Z.")
        }
        return date
    }
}
