import Foundation
import MusterCore
import NIOCore

/// Reads loosely typed JSON (a parsed `JSONValue` object) with errors that name the field.
///
/// Senders' payloads carry arbitrary extra JSON (`custom_details`, Grafana `values`), which
/// Codable handles poorly; this reader takes what Muster needs and ignores the rest.
struct JSONObject {
    let members: [(String, JSONValue)]
    /// Dotted path of this object inside the body, for messages (`alerts[3].`).
    let path: String

    init(_ members: [(String, JSONValue)], path: String = "") {
        self.members = members
        self.path = path
    }

    /// Parses a body that must be one JSON object.
    static func parse(_ body: ByteBuffer) throws(IngestError) -> JSONObject {
        let value: JSONValue
        do {
            value = try body.withUnsafeReadableBytes { try JSONValue.parse($0) }
        } catch {
            throw IngestError(field: nil, "The body is not valid JSON: \(error).")
        }
        guard case .object(let members) = value else { throw IngestError(field: nil, "The body must be a JSON object.") }
        return JSONObject(members)
    }

    /// The member's value; nil when it is absent or null.
    func value(_ key: String) -> JSONValue? {
        guard let found = members.last(where: { $0.0 == key })?.1, found != .null else { return nil }
        return found
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    /// Refuses a member the format does not have, naming it and the closest one it does.
    func refuseUnknown(_ known: Set<String>) throws(IngestError) {
        guard let unknown = members.first(where: { !known.contains($0.0) })?.0 else { return }
        var message = "'\(path + unknown)' is not a field of this format."
        if let suggestion = ClosestName.suggestion(for: unknown, among: known) { message += " Did you mean '\(path + suggestion)'?" }
        throw IngestError(field: path + unknown, message)
    }

    func string(_ key: String) throws(IngestError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw IngestError(field: path + key, "'\(path + key)' must be a string.") }
        return text
    }

    func requiredString(_ key: String) throws(IngestError) -> String {
        guard let text = try string(key), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw IngestError(field: path + key, "'\(path + key)' is missing or blank.")
        }
        return text
    }

    func object(_ key: String) throws(IngestError) -> JSONObject? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw IngestError(field: path + key, "'\(path + key)' must be an object.") }
        return JSONObject(members, path: path + key + ".")
    }

    func array(_ key: String) throws(IngestError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw IngestError(field: path + key, "'\(path + key)' must be an array.") }
        return items
    }

    /// The objects of an array such as `alerts[]` (at most `limit` of them), each with its path for messages.
    func objects(_ key: String, atMost limit: Int) throws(IngestError) -> [JSONObject]? {
        guard let items = try array(key) else { return nil }
        guard items.count <= limit else {
            throw IngestError(field: path + key, "'\(path + key)' holds \(items.count) entries; at most \(limit) are accepted per request.")
        }
        var objects: [JSONObject] = []
        objects.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw IngestError(field: "\(path)\(key)[\(index)]", "'\(path)\(key)[\(index)]' must be an object.")
            }
            objects.append(JSONObject(members, path: "\(path)\(key)[\(index)]."))
        }
        return objects
    }

    /// A string map such as labels; non-string values are kept as their JSON text.
    func stringMap(_ key: String) throws(IngestError) -> [String: String] {
        guard let object = try object(key) else { return [:] }
        return object.textMap()
    }

    /// Every member as display text.
    func textMap() -> [String: String] {
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for (key, value) in members { map[key] = Self.text(value) }
        return map
    }

    func date(_ key: String) throws(IngestError) -> Date? {
        guard let text = try string(key), !text.isEmpty else { return nil }
        guard let date = APICoding.parseDate(text) else {
            throw IngestError(field: path + key, "'\(path + key)' must be an ISO 8601 date-time such as 2026-11-22T09:30:00Z.")
        }
        // Alertmanager sends the zero time for "no end"; treat anything before 1971 as absent.
        return date.timeIntervalSince1970 < 31_536_000 ? nil : date
    }

    /// A JSON value as display text: strings as they are, anything else as its JSON.
    static func text(_ value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return value.text
    }

    /// Links from an array of `{href, text}` objects; entries without an http(s) href are skipped.
    func links(_ key: String, hrefKey: String = "href", textKey: String = "text") throws(IngestError) -> [AlertLink] {
        guard let items = try array(key) else { return [] }
        return items.compactMap { item in
            guard case .string(let href)? = item[hrefKey],
                href.hasPrefix("http://") || href.hasPrefix("https://"), href.count <= 2_048
            else { return nil }
            var text: String?
            if case .string(let given)? = item[textKey] { text = String(given.prefix(256)) }
            return AlertLink(href: href, text: text)
        }
    }
}

/// An event the sender must fix; `field` names the part of the body at fault.
struct IngestError: Error {
    var field: String?
    var message: String

    init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }
}
