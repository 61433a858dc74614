import Foundation
import Hummingbird
import MusterCore

/// JSON as the API speaks it: ISO 8601 dates, and decode errors that name the field.
public enum APICoding {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "is not an ISO 8601 date-time such as 2026-11-22T09:30:00Z")
            }
            return date
        }
        return decoder
    }

    /// RFC 3339 in UTC, with milliseconds when the time has them.
    public static func formatDate(_ date: Date) -> String {
        RFC3339.format(date)
    }

    /// The `limit` query parameter, from 1 to `max`.
    static func limit(_ request: Request, default fallback: Int, max: Int) throws -> Int {
        try integer(request.uri.queryParameters, "limit", range: 1...max) ?? fallback
    }

    /// The most rows a list skips before its page.
    static let maxOffset = 1_000_000

    /// The `offset` query parameter, from 0 to `maxOffset`.
    static func offset(_ parameters: Parameters) throws -> Int {
        try integer(parameters, "offset", range: 0...maxOffset) ?? 0
    }

    /// A whole-number query parameter within `range`, or nil when it is absent.
    static func integer(_ parameters: Parameters, _ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.invalid(name, "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// A true-or-false query parameter; false when absent.
    static func flag(_ parameters: Parameters, _ name: String) throws -> Bool {
        switch parameters.get(name) {
        case nil, "false": return false
        case "true": return true
        default: throw Problem.invalid(name, "'\(name)' must be true or false.")
        }
    }

    /// The span a list or report asks for: `since` (a span back from `now`, such as 4h or 30d), or
    /// `from` and `to` (RFC 3339; `from` wins over `since`). Nil where the request says nothing.
    static func timeSpan(_ parameter: (String) -> String?, now: Date) throws -> (from: Date?, to: Date?) {
        var from: Date?
        var to: Date?
        if let since = parameter("since") {
            guard let seconds = DurationText.parse(since), seconds > 0 else {
                throw Problem.invalid("since", "'since' must be a span such as 4h or 30d; got '\(since.prefix(20))'.")
            }
            from = now.addingTimeInterval(-Double(seconds))
        }
        for name in ["from", "to"] {
            guard let value = parameter(name) else { continue }
            guard let date = RFC3339.parse(value) else { throw Problem.invalid(name, "'\(name)' must be an RFC 3339 time.") }
            if name == "from" { from = date } else { to = date }
        }
        return (from, to)
    }

    /// The `service` query parameter of a list, which must be a service id.
    static func service(_ parameters: Parameters) throws -> String? {
        guard let service = parameters.get("service") else { return nil }
        guard ServiceSlug.isValid(service) else { throw Problem.invalid("service", "'service' is not a valid service id.") }
        return service
    }

    /// Parses RFC 3339 with or without fractional seconds and offsets.
    public static func parseDate(_ text: String) -> Date? {
        RFC3339.parse(text)
    }

    /// Decodes a required JSON request body into `T`, answering 400 with the faulty field named.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request, limit: limit) else {
            throw Problem.invalid(nil, "The request needs a JSON body.")
        }
        return value
    }

    /// Decodes a JSON request body into `T`, or returns nil when the body is empty. A member that
    /// `T` does not read is refused, naming it and the field it most likely meant.
    public static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T? {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem(
                status: .contentTooLarge, slug: "too-large", title: "Request body too large",
                detail: "The request body is larger than the limit of \(limit) bytes.")
        }
        guard buffer.readableBytes > 0 else { return nil }
        let value: T
        do {
            value = try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw problem(for: error)
        }
        if NULText.isEscaped(in: buffer.readableBytesView) {
            throw Problem.invalid(nil, "The body holds a NUL character (\\u0000) in a string; Muster does not accept it in any text.")
        }
        if let parsed = try? JSONValue.parse(buffer.readableBytesView),
            let unknown = UnknownFieldAudit.firstUnknown(in: parsed, as: T.self)
        {
            throw UnknownFieldAudit.problem(for: unknown)
        }
        return value
    }

    /// A 400 problem naming the path of a decoding failure.
    static func problem(for error: DecodingError) -> Problem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalid(field, "'\(field)' is required.")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalid(field, "'\(field)' must not be null; expected \(describe(type)).")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalid(
                field.isEmpty ? nil : field, field.isEmpty ? "The body must be a JSON object." : "'\(field)' must be \(describe(type)).")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .invalid(nil, "The body is not valid JSON.") }
            let reason = context.debugDescription.hasPrefix("is ") ? context.debugDescription : "has a value that is not allowed."
            return .invalid(field, "'\(field)' \(reason)")
        @unknown default:
            return .invalid(nil, "The body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Date.Type: "an ISO 8601 date-time string"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object or value of the documented type"
        }
    }
}
