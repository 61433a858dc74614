import NIOCore

/// The messages of PostgreSQL's backend protocol (version 3) that the pipelined connection reads.
enum BackendMessage: Equatable {
    case parseComplete
    case bindComplete
    case closeComplete
    /// The column names of the rows that follow.
    case rowDescription([String])
    case noData
    /// One row, each value in text, nil for NULL.
    case dataRow([String?])
    case commandComplete(String)
    case emptyQuery
    case portalSuspended
    case error(ServerError)
    /// A notice, a parameter's new value, a notification or the backend's key: nothing to act on.
    case aside
    /// The server is ready for the next batch; its transaction state, `I`, `T` or `E`.
    case ready(UInt8)

    /// What PostgreSQL said of an error: its SQLSTATE, severity and message.
    struct ServerError: Equatable, Error {
        var state: String
        var severity: String
        var message: String

        /// The session itself ends: PostgreSQL closes the connection after it.
        var endsSession: Bool { severity == "FATAL" || severity == "PANIC" }
    }

    /// Longest message accepted: an ingest read returns rows of alert and incident documents,
    /// each bounded by ingestion's own limits far below this.
    static let maxLength = 256 << 20

    /// Takes the next whole message from `buffer`, or nil when it has not all arrived yet.
    static func next(from buffer: inout ByteBuffer) throws(WireError) -> BackendMessage? {
        guard buffer.readableBytes >= 5,
            let code = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self)
        else { return nil }
        guard length >= 4, Int(length) <= maxLength else { throw WireError("a message of \(length) bytes") }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        var body = buffer.readSlice(length: Int(length) - 4)!
        return try decode(code, &body)
    }

    private static func decode(_ code: UInt8, _ body: inout ByteBuffer) throws(WireError) -> BackendMessage {
        switch Unicode.Scalar(code) {
        case "1": return .parseComplete
        case "2": return .bindComplete
        case "3": return .closeComplete
        case "n": return .noData
        case "I": return .emptyQuery
        case "s": return .portalSuspended
        case "N", "S", "A", "K": return .aside
        case "C":
            return .commandComplete(try text(&body))
        case "Z":
            guard let status = body.readInteger(as: UInt8.self) else { throw WireError("a ReadyForQuery without its status") }
            return .ready(status)
        case "T":
            guard let count = body.readInteger(as: Int16.self), count >= 0 else { throw WireError("a RowDescription without its count") }
            var names: [String] = []
            names.reserveCapacity(Int(count))
            for _ in 0..<count {
                names.append(try text(&body))
                // table, column number, type, size, modifier, format
                guard body.readableBytes >= 18 else { throw WireError("a RowDescription cut short") }
                body.moveReaderIndex(forwardBy: 18)
            }
            return .rowDescription(names)
        case "D":
            guard let count = body.readInteger(as: Int16.self), count >= 0 else { throw WireError("a DataRow without its count") }
            var values: [String?] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let length = body.readInteger(as: Int32.self) else { throw WireError("a DataRow cut short") }
                if length < 0 {
                    values.append(nil)
                } else {
                    guard let value = body.readString(length: Int(length)) else { throw WireError("a DataRow cut short") }
                    values.append(value)
                }
            }
            return .dataRow(values)
        case "E":
            var fields: [UInt8: String] = [:]
            while let field = body.readInteger(as: UInt8.self), field != 0 {
                fields[field] = try text(&body)
            }
            return .error(
                ServerError(
                    state: fields[UInt8(ascii: "C")] ?? "?", severity: fields[UInt8(ascii: "V")] ?? fields[UInt8(ascii: "S")] ?? "ERROR",
                    message: fields[UInt8(ascii: "M")] ?? "unknown error"))
        default:
            throw WireError("a message of unknown type \(code)")
        }
    }

    private static func text(_ body: inout ByteBuffer) throws(WireError) -> String {
        guard let text = body.readNullTerminatedString() else { throw WireError("a string without its end") }
        return text
    }
}

/// The server sent something the pipelined connection cannot read: the connection is closed.
struct WireError: Error, CustomStringConvertible {
    var description: String

    init(_ what: String) {
        description = "PostgreSQL sent \(what)"
    }

    private init(saying description: String) {
        self.description = description
    }

    /// A second batch was sent before the first was answered; nothing of it was sent.
    static let busy = WireError(saying: "the pipelined connection was still waiting for an answer")
    /// Results of statements sent ahead were asked for when none were out.
    static let nothingAhead = WireError(saying: "no statements were out ahead on the pipelined connection")
}
