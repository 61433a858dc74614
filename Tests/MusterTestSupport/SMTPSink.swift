import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real SMTP server (aiosmtpd, STARTTLS with a certificate made for the test).
public final class SMTPSink: @unchecked Sendable {
    let process = Process()
    public let port: Int
    let folder: URL

    /// Foundation's `Process.run()` once crashed copying its arguments while another test's sink
    /// started a process at the same moment: sinks start their processes one at a time.
    static let spawning = NSLock()

    public static var available: Bool {
        ProcessInfo.processInfo.environment["MUSTER_REQUIRE_SMTP"] == "1"
            || (try? shell("python3", "-c", "import aiosmtpd")) == 0
    }

    @discardableResult
    static func shell(_ arguments: String...) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try spawning.withLock { try process.run() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts a sink off the cooperative threads: making the certificate and starting Python take
    /// seconds of blocking waits, which stalled other suites' servers past their timeouts.
    public static func start() async throws -> SMTPSink {
        try await offThePool { try SMTPSink() }
    }

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("mail"), withIntermediateDirectories: true)
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let made = try Self.shell(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert)
        guard made == 0 else { throw ScratchError("openssl could not make a certificate") }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/smtp-sink.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "0", folder.appendingPathComponent("mail").path, cert, key]
        let out = Pipe()
        process.standardOutput = out
        let process = self.process
        try Self.spawning.withLock { try process.run() }
        // "ready PORT": the sink listens on a port the kernel said was free.
        let ready = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard ready.hasPrefix("ready "), let port = Int(ready.dropFirst(6)) else {
            kill(process.processIdentifier, SIGKILL)  // deinit does not run for an init that throws
            throw ScratchError("the SMTP sink did not start")
        }
        self.port = port
    }

    public var certificate: String { folder.appendingPathComponent("cert.pem").path }

    /// The messages received so far.
    public func messages() throws -> [String] {
        let mail = folder.appendingPathComponent("mail")
        return try FileManager.default.contentsOfDirectory(atPath: mail.path).sorted().map {
            try String(contentsOf: mail.appendingPathComponent($0), encoding: .utf8)
        }
    }

    deinit {
        // SIGKILL: a child started from a test thread may have SIGTERM blocked and never die.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}
