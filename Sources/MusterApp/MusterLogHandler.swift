import Foundation
import Logging
import MusterCore

/// Log lines on standard error, in the shape of swift-log's `StreamLogHandler`
/// (`time level label : key=value … [source] message`).
///
/// `StreamLogHandler` formats its metadata again every time a key is set; Hummingbird and Muster
/// set two keys per request, so that formatting ran twice per request even with nothing logged.
/// This handler formats metadata only when it writes a line.
public struct MusterLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
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
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text =
            "\(RFC3339.format(Date())) \(event.level) \(label) :\(fields.isEmpty ? "" : " " + fields) [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
