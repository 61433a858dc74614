import Foundation
import MusterCore

/// Writes a stored document's JSON object field by field, in the form `DocumentCoding` decodes
/// as `JSONEncoder` would have written it: dates as seconds since 2001 (`Date`'s own Codable form,
/// the shortest text that reads back exactly), absent optionals left out. For the documents the
/// ingestion writer encodes on every transaction, where `JSONEncoder` showed in its profiles.
struct DocumentWriter {
    private var out: JSONWriter
    private var first = true

    init(capacity: Int) {
        out = JSONWriter(capacity: capacity)
    }

    private init(continuing out: JSONWriter) {
        self.out = out
    }

    private mutating func key(_ name: String) {
        out.raw(first ? "{\"" : ",\"")
        first = false
        out.raw(name)
        out.raw("\":")
    }

    mutating func field(_ name: String, quoting text: String?) {
        guard let text else { return }
        key(name)
        out.quoted(text)
    }

    mutating func field(_ name: String, id: UUID?) {
        guard let id else { return }
        key(name)
        out.raw("\"")
        out.raw(id.text)
        out.raw("\"")
    }

    mutating func field(_ name: String, date: Date?) {
        guard let date else { return }
        key(name)
        out.raw(date.timeIntervalSinceReferenceDate.description)
    }

    mutating func field(_ name: String, int: Int?) {
        guard let int else { return }
        key(name)
        out.raw(String(int))
    }

    mutating func field(_ name: String, bool: Bool) {
        key(name)
        out.raw(bool ? "true" : "false")
    }

    /// A number `JSONEncoder` would refuse (not finite) is refused here too.
    mutating func field(_ name: String, double: Double?) throws {
        guard let double else { return }
        guard double.isFinite else {
            throw EncodingError.invalidValue(double, .init(codingPath: [], debugDescription: "\(name) is not finite"))
        }
        key(name)
        out.raw(double.description)
    }

    /// An object of string values, keys sorted.
    mutating func field(_ name: String, object fields: [String: String]) {
        key(name)
        out.object(fields)
    }

    /// An object of integer values, keys sorted.
    mutating func field(_ name: String, counts: [String: Int]?) {
        guard let counts else { return }
        key(name)
        out.raw("{")
        for (index, (key, count)) in counts.sorted(by: { $0.key < $1.key }).enumerated() {
            out.raw(index == 0 ? "" : ",")
            out.quoted(key)
            out.raw(":")
            out.raw(String(count))
        }
        out.raw("}")
    }

    /// A string array, in its order.
    mutating func field(_ name: String, strings: [String]) {
        key(name)
        out.array(strings)
    }

    /// A nested object, written by `body`.
    mutating func object(_ name: String, _ body: (inout DocumentWriter) throws -> Void) rethrows {
        key(name)
        try nested(body)
    }

    /// An array of objects, each written by `body`.
    mutating func objects<Item>(_ name: String, _ items: [Item], _ body: (inout DocumentWriter, Item) throws -> Void) rethrows {
        key(name)
        out.raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { out.raw(",") }
            try nested { try body(&$0, item) }
        }
        out.raw("]")
    }

    /// Closes the object and returns its text.
    mutating func finish() -> String {
        close()
        return out.text
    }

    /// Adds the fields of another object's text without its opening brace (`rest` ends with the
    /// closing one), and returns the whole.
    mutating func finish(continuingWith rest: Substring) -> String {
        out.raw(first ? "{" : ",")
        out.raw(String(rest))
        return out.text
    }

    private mutating func close() {
        out.raw(first ? "{}" : "}")
    }

    private mutating func nested(_ body: (inout DocumentWriter) throws -> Void) rethrows {
        // The buffer moves into the inner writer and back, so it is never copied.
        var inner = DocumentWriter(continuing: out)
        out = JSONWriter(capacity: 0)
        defer { out = inner.out }
        try body(&inner)
        inner.close()
    }
}
