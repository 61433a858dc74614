import Foundation

/// One label condition, as in Alertmanager silences: `=`, `!=`, `=~`, `!~`.
public struct LabelMatcher: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Operator: String, StrictStringEnum {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public var name: String
    public var op: Operator
    public var value: String

    enum CodingKeys: String, CodingKey {
        case name, value
        case op = "operator"
    }

    /// Builds a matcher; regular expressions must compile.
    public init(name: String, op: Operator, value: String) throws(IncidentError) {
        guard !name.isEmpty, name.count <= 256 else {
            throw .invalidField(field: "matchers.name", reason: "must be 1–256 characters.")
        }
        guard value.count <= 1_024 else { throw .invalidField(field: "matchers.value", reason: "must be at most 1024 characters.") }
        self.name = name
        self.op = op
        self.value = value
        if op == .matches || op == .notMatches, (try? NSRegularExpression(pattern: "^(?:\(value))$")) == nil {
            throw .invalidField(field: "matchers.value", reason: "'\(value.prefix(60))' is not a valid regular expression.")
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: container.decode(String.self, forKey: .name),
            op: container.decode(Operator.self, forKey: .op),
            value: container.decode(String.self, forKey: .value))
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
        throw .invalidField(field: "matchers", reason: "'\(text.prefix(60))' is not of the form name=value, name!=value, name=~regex or name!~regex.")
    }

    /// Whether `labels` satisfy this condition; a missing label reads as the empty string.
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches: return Self.regexMatch(value, actual)
        case .notMatches: return !Self.regexMatch(value, actual)
        }
    }

    public var description: String { "\(name)\(op.rawValue)\"\(value)\"" }

    private static func regexMatch(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
