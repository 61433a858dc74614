import Foundation
import MusterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One client cannot hold more than its share of the server's connections, nor all clients
/// together more than the server allows.
@Suite("Connection limits")
struct ConnectionLimitTests {
    @Test(
        "a client holding as many connections as listen.max_connections_per_client allows has its next one closed unanswered, and the log says why; once one of its connections closes it may open another"
    )
    func perClientLimit() async throws {
        // given: a server allowing three connections per client, and three open from 127.0.0.1
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url, environment: ["MUSTER_MAX_CONNECTIONS_PER_CLIENT": "3"])
        defer { _ = server.stop() }
        var held = try (0..<3).map { _ in try RawConnection(port: server.port) }
        for connection in held { #expect(try connection.get("/healthz").hasPrefix("HTTP/1.1 200")) }

        // when: a fourth
        let fourth = try RawConnection(port: server.port)
        let refused = try fourth.get("/healthz")

        // then
        #expect(refused.isEmpty, "the fourth connection was answered: \(refused)")
        for _ in 0..<50 where !server.logs.text.contains("already holds 3 open connections") {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(server.logs.text.contains("already holds 3 open connections"), "\(server.logs.text)")
        for connection in held { #expect(try connection.get("/healthz").hasPrefix("HTTP/1.1 200")) }

        // when: one of the three closes
        held.removeFirst().close()
        var answer = ""
        for _ in 0..<25 where !answer.hasPrefix("HTTP/1.1 200") {
            // The server counts the closed one out once it has seen the close: at once, give or take.
            try await Task.sleep(for: .milliseconds(200))
            answer = try RawConnection(port: server.port).get("/healthz")
        }

        // then
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
    }

    @Test("a trusted proxy's address is exempt from the per-client limit, though not from the total")
    func trustedProxy() async throws {
        // given: three connections per client, but 127.0.0.1 is a trusted proxy
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(
            database: database.url, environment: ["MUSTER_MAX_CONNECTIONS_PER_CLIENT": "3", "MUSTER_TRUSTED_PROXIES": "127.0.0.1"])
        defer { _ = server.stop() }
        // when: it holds six
        let held = try (0..<6).map { _ in try RawConnection(port: server.port) }
        // then: all are answered
        for connection in held { #expect(try connection.get("/healthz").hasPrefix("HTTP/1.1 200")) }
    }

    @Test(
        "past listen.max_connections open connections from all clients together, the next is closed unanswered whatever its address, until one closes"
    )
    func serverLimit() async throws {
        // given: a server allowing three connections in all and any number per client, and three
        // open from three addresses
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(
            database: database.url, environment: ["MUSTER_MAX_CONNECTIONS": "3", "MUSTER_MAX_CONNECTIONS_PER_CLIENT": "0"])
        defer { _ = server.stop() }
        var held = try ["127.0.0.1", "127.0.0.2", "127.0.0.3"].map { try RawConnection(port: server.port, from: $0) }
        for connection in held { #expect(try connection.get("/healthz").hasPrefix("HTTP/1.1 200")) }

        // when: a fourth from an address that holds none
        let refused = try RawConnection(port: server.port, from: "127.0.0.4").get("/healthz")

        // then
        #expect(refused.isEmpty, "the fourth connection was answered: \(refused)")
        for _ in 0..<50 where !server.logs.text.contains("the server already holds 3 open connections from all clients") {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(
            server.logs.text.contains("Closed a connection from 127.0.0.4: the server already holds 3 open connections"),
            "\(server.logs.text)")

        // when: one of the three closes
        held.removeFirst().close()
        var answer = ""
        for _ in 0..<25 where !answer.hasPrefix("HTTP/1.1 200") {
            try await Task.sleep(for: .milliseconds(200))
            answer = try RawConnection(port: server.port, from: "127.0.0.4").get("/healthz")
        }

        // then
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
    }

    @Test(
        "the connection limits are whole numbers from 0 (no limit) up; anything else stops the server with the reason",
        arguments: [
            "MUSTER_MAX_CONNECTIONS_PER_CLIENT", "MUSTER_MAX_CONNECTIONS",
        ])
    func badLimit(variable: String) async throws {
        // given
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }

        // when
        let result = try await MusterProcess.run(["serve", "--port", "0", "--database", database.url], environment: [variable: "many"])

        // then
        #expect(result.status != 0)
        #expect(result.stderr.contains("'\(variable)' must be a number of connections from 0 (no limit)"), "\(result.stderr)")
    }
}

/// A blocking HTTP/1.1 client on one TCP connection, to hold connections open at will.
private final class RawConnection {
    private var fd: Int32

    init(port: Int, from source: String? = nil) throws {
        guard let fd = Loopback.connect(port: port, from: source) else {
            throw RawConnectionError(message: "cannot connect to 127.0.0.1:\(port) from \(source ?? "any address"): errno \(errno)")
        }
        self.fd = fd
        var wait = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends a GET and returns the first bytes of the answer: empty when the server closed the
    /// connection without one.
    func get(_ path: String) throws -> String {
        let request = "GET \(path) HTTP/1.1\r\nHost: muster\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else {
            if errno == ECONNRESET { return "" }
            throw RawConnectionError(message: "no answer within 5 s: errno \(errno)")
        }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}

private struct RawConnectionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
