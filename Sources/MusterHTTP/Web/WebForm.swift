import Foundation
import Hummingbird
import MusterCore

/// The fields of a posted form, read strictly: a field the form does not have is an error.
struct WebForm: Sendable {
    let fields: [String: String]

    /// The form in `request`'s body (`application/x-www-form-urlencoded`), which may hold only
    /// `allowed` and `csrf`.
    static func read(_ request: Request, allowed: Set<String>) async throws -> WebForm {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1_024)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard name == "csrf" || allowed.contains(name) else {
                throw Problem.invalid(nil, "The form has a field '\(name.prefix(40))' it should not; reload the page and send it again.")
            }
            // Several values of one field (a multiple select) arrive one by one; keep them all.
            fields[name] = fields[name].map { "\($0),\(value)" } ?? value
        }
        return WebForm(fields: fields)
    }

    private static func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }

    var csrf: String { fields["csrf"] ?? "" }

    /// The trimmed text of field `name`; nil when empty or absent.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The text of field `name`, which must be filled in; `label` names it in the message.
    func required(_ name: String, _ label: String) throws -> String {
        guard let value = text(name) else { throw Problem.invalid(name, "\(label) is required.") }
        return value
    }

    /// A whole number in field `name`, within `range`; nil when empty.
    func number(_ name: String, _ label: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = text(name) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw Problem.invalid(name, "\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }

    /// A value of `T` in field `name`; nil when empty.
    func choice<T: StrictStringEnum>(_ name: String, _ type: T.Type) throws -> T? {
        guard let value = text(name) else { return nil }
        guard let choice = T(rawValue: value) else {
            throw Problem.invalid(name, "'\(value.prefix(40))' is not one of: \(T.allowedValues).")
        }
        return choice
    }

    /// The time in the `datetime-local` field `name`, in the viewer's zone (field `tz`); nil when empty.
    func time(_ name: String = "at") throws -> Date? {
        try WebTime.parse(text(name), offsetMinutes: text("tz"), field: name)
    }

    /// The non-empty lines of field `name`, trimmed.
    func list(_ name: String, separatedBy separators: CharacterSet) -> [String] {
        (fields[name] ?? "").components(separatedBy: separators).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The comma- or space-separated names in field `name`.
    func list(_ name: String) -> [String] {
        (text(name) ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0.isNewline }).map(String.init)
    }

    /// What was typed, to fill the form in again after an error; never the CSRF token.
    var retyped: [String: String] { fields.filter { $0.key != "csrf" } }
}
