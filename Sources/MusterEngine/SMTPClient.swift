import Foundation
import MusterCore
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// Where and how to send email.
public struct SMTPSettings: Sendable, Equatable {
    public enum StartTLS: String, Sendable {
        /// Upgrade when the server offers it.
        case opportunistic
        /// Refuse to send unless the server offers it.
        case required
        /// Never upgrade (a local relay on a trusted network).
        case never
    }

    public var host: String
    public var port: Int
    public var from: String
    public var username: String?
    public var password: String?
    public var startTLS: StartTLS
    /// PEM file of extra trusted certificates (a private CA, or a test server's own certificate).
    public var caFile: String?

    public init(
        host: String, port: Int = 25, from: String, username: String? = nil, password: String? = nil,
        startTLS: StartTLS = .opportunistic, caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.from = from
        self.username = username
        self.password = password
        self.startTLS = startTLS
        self.caFile = caFile
    }
}

extension SMTPSettings {
    /// Reads `smtp://user:password@host:587?from=muster@example.com&starttls=required&ca_file=/path`.
    public static func parse(_ text: String) -> SMTPSettings? {
        guard let components = URLComponents(string: text), components.scheme == "smtp", let host = components.host, !host.isEmpty else {
            return nil
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        guard let from = query["from"], from.contains("@") else { return nil }
        let startTLS = query["starttls"].flatMap(StartTLS.init(rawValue:)) ?? .opportunistic
        return SMTPSettings(
            host: host, port: components.port ?? 25, from: from, username: components.user?.removingPercentEncoding,
            password: components.password?.removingPercentEncoding, startTLS: startTLS, caFile: query["ca_file"])
    }
}

/// A minimal SMTP client: EHLO, STARTTLS when offered, AUTH PLAIN when configured, one message.
public struct SMTPClient: Sendable {
    let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `message` (headers and body, lines separated by CRLF) to `recipient`.
    public func send(_ message: String, to recipient: String) async throws {
        // Checked again here, whatever was stored: a line break in an address would let it add
        // SMTP commands or mail headers of its own.
        for address in [recipient, settings.from] where !EmailAddress.isPlain(address) {
            throw Failure(description: "refused to send to or from '\(address.prefix(80))': not a plain email address")
        }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let settings = self.settings
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply(expect: Int) async throws -> [String] {
                var text: [String] = []
                while let buffer = try await lines.next() {
                    let line = String(buffer: buffer).trimmingCharacters(in: .newlines)
                    text.append(line)
                    guard line.count >= 4, line[line.index(line.startIndex, offsetBy: 3)] == "-" else {
                        guard line.hasPrefix(String(expect)) else { throw Failure(description: "SMTP server said: \(line)") }
                        return text
                    }
                }
                throw Failure(description: "SMTP server closed the connection")
            }
            func say(_ command: String) async throws {
                try await outbound.write(ByteBuffer(string: command + "\r\n"))
            }
            _ = try await reply(expect: 220)
            try await say("EHLO muster")
            var capabilities = try await reply(expect: 250)
            let offersTLS = capabilities.contains { $0.uppercased().contains("STARTTLS") }
            if settings.startTLS == .required, !offersTLS {
                throw Failure(description: "the SMTP server does not offer STARTTLS, and smtp.starttls is required")
            }
            if settings.startTLS != .never, offersTLS {
                try await say("STARTTLS")
                _ = try await reply(expect: 220)
                var tls = TLSConfiguration.makeClientConfiguration()
                // Some servers never answer close_notify; do not hang on the way out.
                tls.shutdownTimeout = .seconds(2)
                if let caFile = settings.caFile {
                    tls.trustRoots = .file(caFile)
                }
                let context = try NIOSSLContext(configuration: tls)
                let handler = try NIOSSLClientHandler(
                    context: context, serverHostname: settings.host.first?.isNumber == true ? nil : settings.host)
                try await channel.channel.pipeline.addHandler(handler, position: .first).get()
                try await say("EHLO muster")
                capabilities = try await reply(expect: 250)
            }
            if let username = settings.username, let password = settings.password {
                let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await say("AUTH PLAIN \(token)")
                _ = try await reply(expect: 235)
            }
            try await say("MAIL FROM:<\(settings.from)>")
            _ = try await reply(expect: 250)
            try await say("RCPT TO:<\(recipient)>")
            _ = try await reply(expect: 250)
            try await say("DATA")
            _ = try await reply(expect: 354)
            // Dot-stuffing: a line that starts with "." gets a second one.
            let stuffed = message.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
            try await outbound.write(ByteBuffer(string: stuffed + "\r\n.\r\n"))
            _ = try await reply(expect: 250)
            try await say("QUIT")
            _ = try? await reply(expect: 221)
        }
    }
}
