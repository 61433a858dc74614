import Foundation
import MusterTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port.
final class AlertmanagerProcess {
    static var binary: String? {
        ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager", "/usr/local/bin/alertmanager"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Present, or required by the test script (then its absence fails the tests).
    static var available: Bool {
        binary != nil || ProcessInfo.processInfo.environment["MUSTER_REQUIRE_ALERTMANAGER"] == "1"
    }

    let process = Process()
    let port: Int
    let folder: URL
    let logs = LockedText()

    init(config: String) async throws {
        guard let binary = Self.binary else { throw ServerFailure(output: "prometheus-alertmanager is not installed; run scripts/test") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try config.write(to: folder.appendingPathComponent("am.yml"), atomically: true, encoding: .utf8)
        port = try freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(folder.path)/am.yml", "--storage.path=\(folder.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = err
        try process.run()
        ServerProcess.drain(err, into: logs)
        let deadline = Date().addingTimeInterval(30)
        while !logs.text.contains("Listening on"), Date() < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard logs.text.contains("Listening on") else { throw ServerFailure(output: logs.text) }
    }

    /// Posts alerts to Alertmanager's v2 API, as Prometheus would.
    func push(_ alerts: [[String: Any]]) async throws {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v2/alerts")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: alerts)
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw ServerFailure(output: "Alertmanager refused the alerts: \(response)")
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }
}

/// A TCP port nothing listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = Loopback.address(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    guard bound == 0 else { throw ServerFailure(output: "could not find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
