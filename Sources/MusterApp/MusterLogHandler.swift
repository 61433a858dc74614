import Foundation
import Logging
import MusterCore

/// Log lines on standard error: in the shape of swift-log's `StreamLogHandler`
/// (`time level label : key=value … [source] message`), or with `LogFormat.json` one JSON
/// object per line for a log collector.
///
/// `StreamLogHandler` formats its metadata again every time a key is set; Hummingbird and Muster
/// set two keys per request, so that formatting ran twice per request even with nothing logged.
/// This handler formats metadata only when it writes a line.
public struct MusterLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: LogFormat

    public init(label: String, format: LogFormat = .text, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        if let error = event.error, all["error"] == nil { all["error"] = "\(error)" }
        if format == .json {
            FileHandle.standardError.write(Self.jsonLine(event, label: label, metadata: all))
            return
        }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text =
            "\(RFC3339.format(Date())) \(event.level) \(label) :\(fields.isEmpty ? "" : " " + fields) [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension MusterLogHandler {
    /// One JSON object and a newline: `time`, `level`, `label`, `message`, `source`, then every
    /// metadata key (which never replaces those five).
    static func jsonLine(_ event: LogEvent, label: String, metadata: Logger.Metadata) -> Data {
        var object: [String: Any] = [:]
        for (key, value) in metadata { object[key] = Self.plain(value) }
        object["time"] = RFC3339.format(Date())
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = "\(event.message)"
        object["source"] = event.source
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): "\(value)"
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }
}

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `time level label : key=value … [source] message`, for people.
    case text
    /// One JSON object per line, for log collectors.
    case json
}
