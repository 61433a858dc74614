import Foundation
import MusterTestSupport
import Testing

/// `muster serve` with `tls.cert_file` and `tls.key_file`: HTTPS served by Muster itself, with a
/// certificate authority the test makes, checked by curl and openssl as real clients.
@Suite("HTTPS", .serialized, .enabled(if: TestCA.toolsAvailable))
struct HTTPSTests {
    @Test("serves HTTPS with the configured certificate, and takes up a renewed one on SIGHUP without a restart")
    func https() async throws {
        // given a certificate authority and a certificate for 127.0.0.1 it signed
        let ca = try TestCA()
        defer { ca.remove() }
        try ca.issue(name: "server", serial: "1001")
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        // when the server starts with it
        let server = try await ServerProcess(
            database: database.url,
            environment: ["MUSTER_TLS_CERT_FILE": ca.path("server.pem"), "MUSTER_TLS_KEY_FILE": ca.path("server.key")])
        defer { _ = server.stop() }
        // then a client that trusts the authority is answered over HTTPS, and one that does not refuses it
        #expect(server.url.hasPrefix("https://"))
        let trusted = try TestCA.run("/usr/bin/curl", ["-sS", "--cacert", ca.path("ca.pem"), server.url + "/healthz"])
        #expect(trusted.status == 0 && trusted.output.contains("\"ok\""), "\(trusted.output)")
        let untrusted = try TestCA.run("/usr/bin/curl", ["-sS", server.url + "/healthz"])
        #expect(untrusted.status != 0)
        #expect(try ca.servedSerial(port: server.port) == "1001")

        // when the certificate is renewed in place and the server gets SIGHUP
        try ca.issue(name: "server", serial: "1002")
        kill(server.process.processIdentifier, SIGHUP)
        // then new connections get the new one, and the server is still running
        try await waitUntil("the renewed certificate is served", seconds: 10) { try ca.servedSerial(port: server.port) == "1002" }
        #expect(server.process.isRunning)
        #expect(server.logs.text.contains("TLS certificate reread"))
        // and a broken file on the next SIGHUP keeps the working certificate
        try "not a certificate".write(toFile: ca.path("server.pem"), atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        try await waitUntil("the failed reread is logged", seconds: 10) { server.logs.text.contains("was not reread") }
        #expect(try ca.servedSerial(port: server.port) == "1002")
    }

    @Test("a certificate file that cannot be read stops the start with its name")
    func badCertificate() async throws {
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let result = try await MusterProcess.run(
            ["serve", "--port", "0", "--database", database.url],
            environment: ["MUSTER_TLS_CERT_FILE": "/nonexistent/cert.pem", "MUSTER_TLS_KEY_FILE": "/nonexistent/key.pem"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("tls.cert_file") && result.stderr.contains("/nonexistent/cert.pem"), "\(result.stderr)")
    }
}

/// A throwaway certificate authority in a folder of its own, made and used with the openssl tool.
struct TestCA {
    let folder: URL

    static var toolsAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=Muster test CA", "-keyout", path("ca.key"), "-out", path("ca.pem"),
        ])
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Makes `name.key` and `name.pem`, a certificate for 127.0.0.1 and localhost with this serial.
    func issue(name: String, serial: String) throws {
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: path("san.ext"), atomically: true, encoding: .utf8)
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", path("\(name).key.new"), "-out", path("\(name).csr"),
        ])
        try openssl([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
            "-set_serial", "0x\(serial)", "-days", "2", "-extfile", path("san.ext"), "-out", path("\(name).pem.new"),
        ])
        // Replaced by renaming, as certbot does, so the server never reads half a file.
        for file in ["\(name).key", "\(name).pem"] { _ = rename(path(file + ".new"), path(file)) }
    }

    /// The serial number of the certificate a server on loopback presents now.
    func servedSerial(port: Int) throws -> String {
        let shown = try Self.run(
            "/bin/sh", ["-c", "openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -serial"])
        return shown.output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    private func openssl(_ arguments: [String]) throws {
        let result = try Self.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else {
            throw CommandFailure(
                command: "openssl \(arguments.joined(separator: " "))",
                result: MusterProcess.Result(status: result.status, stdout: "", stderr: result.output))
        }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
