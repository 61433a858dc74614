import ArgumentParser
import Foundation
import MusterCore

/// `--at`: when something happened, for a responder recording it afterwards.
struct HappenedOption: ParsableArguments {
    @Option(help: "When it happened, if earlier than now: RFC 3339, or a time today such as 14:38.") var at: String?

    /// The time as the API takes it, or nil for now.
    func value() throws -> String? {
        try at.map { RFC3339.format(try parseWhen($0, option: "--at")) }
    }
}

/// Reads a time typed for when something happened.
func parseWhen(_ text: String, option: String) throws -> Date {
    guard let date = WhenText.parse(text, now: Date()) else {
        throw ValidationError("\(option) must be \(WhenText.forms); got '\(text.prefix(40))'.")
    }
    return date
}
