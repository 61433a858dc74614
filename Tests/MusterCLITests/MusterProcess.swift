import Foundation
import MusterTestSupport
import Testing

/// Runs the real `muster` binary: one-shot commands, or the server as a background process.
enum MusterProcess {
    /// The binary the test script built (`MUSTER_BINARY`), or the one next to this test bundle.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["MUSTER_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("muster")
    }

    /// The test process's environment without its `MUSTER_*` variables (the test script's
    /// settings, which Muster would refuse as unknown): each test passes the settings it means.
    static var inheritedEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MUSTER_") }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `muster <arguments>` to completion. The waiting happens on a thread of its own: a
    /// test blocking one of the few cooperative threads starves the in-process servers (webhook
    /// receivers) of the tests running beside it.
    /// With `input`, that text is the command's stdin.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Result {
        try await offThePool { try runBlocking(arguments, environment: environment, input: input) }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String], input: String?) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = MusterProcess.inheritedEnvironment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read stderr on another thread so neither pipe can fill up and stall the child.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { Thread.sleep(forTimeInterval: 0.005) }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

extension MusterProcess {
    /// Creates a responder's API token straight in the database, as an operator would before the
    /// first start, and returns its secret.
    static func responderToken(database: String, name: String = "ops", role: String = "responder") async throws -> String {
        let created = try await run(["token", "create", "--name", name, "--role", role, "--json", "--database", database])
        let secret = (try? JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String])?["secret"]
        guard created.status == 0, let secret else {
            throw CommandFailure(command: "muster token create", result: created)
        }
        return secret
    }
}

/// The `muster` CLI pointed at a running server, with a responder's token for its database.
struct CLIClient {
    let environment: [String: String]

    init(server: ServerProcess, database: String) async throws {
        environment = ["MUSTER_URL": server.url, "MUSTER_TOKEN": try await MusterProcess.responderToken(database: database)]
    }

    /// Runs `muster <arguments>` against the server.
    func callAsFunction(_ arguments: String...) async throws -> MusterProcess.Result {
        try await MusterProcess.run(arguments, environment: environment)
    }
}

/// A `muster serve` process on a free port. Its fields are set once, in `init`; stopping it may
/// happen on another thread (`offThePool`).
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// What the server wrote to stderr (its log), collected as it arrives.
    let logs = LockedText()

    /// Starts the server and waits until it says which port it listens on. With
    /// `softFileLimit`, a shell lowers the open-file limit the server starts with (`ulimit -Sn`).
    /// `binary` and `directory` start another copy of `muster`, in a working folder of its own.
    init(
        database: String, environment: [String: String] = [:], softFileLimit: Int? = nil, binary: URL = MusterProcess.binary,
        directory: URL? = nil, arguments extra: [String] = []
    ) async throws {
        let arguments = ["serve", "--port", "0", "--database", database] + extra
        if let softFileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(softFileLimit) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        process.environment = MusterProcess.inheritedEnvironment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = LockedText()
        Self.drain(out, into: output)
        Self.drain(err, into: logs)
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(20))
            if let line = output.text.split(separator: "\n").first(where: { $0.hasPrefix("listening on http") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                found = port
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw ServerFailure(output: "muster serve did not start: " + output.text + logs.text)
        }
        port = found
        secure = output.text.contains("listening on https://")
    }

    /// Whether it serves HTTPS.
    let secure: Bool

    var url: String { "\(secure ? "https" : "http")://127.0.0.1:\(port)" }

    /// Reads a pipe until it closes, so the child never blocks on a full pipe.
    static func drain(_ pipe: Pipe, into text: LockedText) {
        Thread {
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text.append(String(decoding: chunk, as: UTF8.self))
            }
        }.start()
    }

    /// Sends SIGTERM and returns the exit status after a graceful shutdown.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var command: String
    var result: MusterProcess.Result
    var description: String { "\(command) failed with status \(result.status): \(result.stderr)" }
}

/// A process the tests drive (Muster, Alertmanager) did not do what the test waited for; `output` says what.
struct ServerFailure: Error, CustomStringConvertible {
    var output: String
    var description: String { output }
}

/// Text collected by a reader thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    func append(_ more: String) {
        lock.lock()
        buffer += more
        lock.unlock()
    }
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

/// Data handed from a reader thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) {
        lock.lock()
        data = value
        lock.unlock()
    }
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return data != nil
    }
    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data ?? Data()
    }
}

/// `muster serve` on a new SQLite database, with the CLI pointed at it as a responder.
struct ServedMuster {
    let database: ScratchDatabase
    let server: ServerProcess
    let muster: CLIClient

    static func start(environment: [String: String] = [:], arguments: [String] = []) async throws -> ServedMuster {
        let database = try await TestBackend.sqlite.makeDatabase()
        let server = try await ServerProcess(database: database.url, environment: environment, arguments: arguments)
        return ServedMuster(database: database, server: server, muster: try await CLIClient(server: server, database: database.url))
    }

    func stop() {
        _ = server.stop()
        Task { await database.remove() }
    }
}
