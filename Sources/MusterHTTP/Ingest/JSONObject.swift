import Foundation
import MusterCore

/// Reads loosely typed JSON (from `JSONSerialization`) with errors that name the field.
///
/// Senders' payloads carry arbitrary extra JSON (`custom_details`, Grafana `values`), which
/// Codable handles poorly; this reader takes what Muster needs and ignores the rest.
struct JSONObject {
    let values: [String: Any]
    /// Dotted path of this object inside the body, for messages (`alerts[3].`).
    let path: String

    init(_ values: [String: Any], path: String = "") {
        self.values = values
        self.path = path
    }

    /// Parses a body that must be one JSON object.
    static func parse(_ data: Data) throws(IngestError) -> JSONObject {
        guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw IngestError(field: nil, "The body is not valid JSON.")
        }
        guard let object = any as? [String: Any] else { throw IngestError(field: nil, "The body must be a JSON object.") }
        return JSONObject(object)
    }

    func has(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }

    func string(_ key: String) throws(IngestError) -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw IngestError(field: path + key, "'\(path + key)' must be a string.") }
        return text
    }

    func requiredString(_ key: String) throws(IngestError) -> String {
        guard let text = try string(key), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw IngestError(field: path + key, "'\(path + key)' is missing or blank.")
        }
        return text
    }

    func object(_ key: String) throws(IngestError) -> JSONObject? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw IngestError(field: path + key, "'\(path + key)' must be an object.") }
        return JSONObject(object, path: path + key + ".")
    }

    func array(_ key: String) throws(IngestError) -> [Any]? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let array = value as? [Any] else { throw IngestError(field: path + key, "'\(path + key)' must be an array.") }
        return array
    }

    /// A string map such as labels; non-string values are kept as their JSON text.
    func stringMap(_ key: String) throws(IngestError) -> [String: String] {
        guard let object = try object(key) else { return [:] }
        return object.values.mapValues(Self.text)
    }

    func date(_ key: String) throws(IngestError) -> Date? {
        guard let text = try string(key), !text.isEmpty else { return nil }
        guard let date = APICoding.parseDate(text) else {
            throw IngestError(field: path + key, "'\(path + key)' must be an ISO 8601 date-time such as 2026-11-22T09:30:00Z.")
        }
        // Alertmanager sends the zero time for "no end"; treat anything before 1971 as absent.
        return date.timeIntervalSince1970 < 31_536_000 ? nil : date
    }

    /// A JSON value as display text.
    static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }

    /// Links from an array of `{href, text}` objects; entries without an http(s) href are skipped.
    func links(_ key: String, hrefKey: String = "href", textKey: String = "text") throws(IngestError) -> [AlertLink] {
        guard let items = try array(key) else { return [] }
        return items.compactMap { item in
            guard let object = item as? [String: Any], let href = object[hrefKey] as? String,
                  href.hasPrefix("http://") || href.hasPrefix("https://"), href.count <= 2_048 else { return nil }
            return AlertLink(href: href, text: (object[textKey] as? String).map { String($0.prefix(256)) })
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
