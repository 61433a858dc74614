import Foundation

/// One label condition, as in Alertmanager silences: `=`, `!=`, `=~`, `!~`. Regular expressions
/// use RE2's syntax, as Alertmanager's do, and must match the whole value (`LabelRegex`).
public struct LabelMatcher: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Operator: String, StrictStringEnum {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public let name: String
    public let op: Operator
    public let value: String
    /// The compiled expression of `=~` and `!~`; nil for the others, and for a stored pattern
    /// this version cannot compile (see `storedDocument`).
    private let regex: LabelRegex?

    /// Set in a decoder's `userInfo` for documents read back from the database: a stored matcher
    /// whose pattern no longer compiles then loads, its expression matching no value (so `!~`
    /// takes every value), instead of making its silence, and every read of silences, fail.
    public static let storedDocument = CodingUserInfoKey(rawValue: "muster.storedDocument")!

    enum CodingKeys: String, CodingKey {
        case name, value
        case op = "operator"
    }

    /// Builds a matcher; regular expressions must compile.
    public init(name: String, op: Operator, value: String) throws(IncidentError) {
        try self.init(name: name, op: op, value: value, lenient: false)
    }

    private init(name: String, op: Operator, value: String, lenient: Bool) throws(IncidentError) {
        guard !name.isEmpty, name.count <= 256 else {
            throw .invalidField(field: "matchers.name", reason: "must be 1–256 characters.")
        }
        guard value.count <= 1_024 else { throw .invalidField(field: "matchers.value", reason: "must be at most 1024 characters.") }
        self.name = name
        self.op = op
        self.value = value
        guard op == .matches || op == .notMatches else {
            regex = nil
            return
        }
        do {
            regex = try LabelRegex(value)
        } catch {
            guard lenient else {
                throw .invalidField(field: "matchers.value", reason: "'\(value.prefix(60))' is not a valid regular expression: \(error).")
            }
            regex = nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: container.decode(String.self, forKey: .name),
            op: container.decode(Operator.self, forKey: .op),
            value: container.decode(String.self, forKey: .value),
            lenient: decoder.userInfo[Self.storedDocument] as? Bool == true)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(op, forKey: .op)
        try container.encode(value, forKey: .value)
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.op == rhs.op && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }

    /// Parses `name=value`, `name!=value`, `name=~regex` or `name!~regex`.
    public static func parse(_ text: String) throws(IncidentError) -> LabelMatcher {
        for op in [Operator.matches, .notMatches, .notEqual, .equal] {
            if let range = text.range(of: op.rawValue) {
                let name = String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                var value = String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                return try LabelMatcher(name: name, op: op, value: value)
            }
        }
        throw .invalidField(
            field: "matchers", reason: "'\(text.prefix(60))' is not of the form name=value, name!=value, name=~regex or name!~regex.")
    }

    /// Whether `labels` satisfy this condition; a missing label reads as the empty string.
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches: return regex?.matches(actual) ?? false
        case .notMatches: return !(regex?.matches(actual) ?? false)
        }
    }

    public var description: String { "\(name)\(op.rawValue)\"\(value)\"" }
}
