import Foundation
import MusterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Slow-loris clients against a real `muster serve`: sockets from other loopback addresses that
/// drip a request head or body a byte at a time must not keep the server from answering others.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
    @Test("sockets dripping heads and bodies are closed at their deadlines, and others are answered again")
    func slowLoris() async throws {
        // given a server whose connections are all taken by 60 dripping sockets from 127.0.0.2 and .3
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(
            database: database.url,
            environment: [
                "MUSTER_HEAD_TIMEOUT": "2s", "MUSTER_MIN_BODY_RATE": "1000", "MUSTER_MAX_CONNECTIONS": "60",
                "MUSTER_MAX_CONNECTIONS_PER_CLIENT": "30",
            ])
        defer { _ = server.stop() }
        let dripping = (0..<60).map { index in
            DrippingSocket(from: index % 2 == 0 ? "127.0.0.2" : "127.0.0.3", port: server.port, body: index % 4 < 2)
        }
        defer { dripping.forEach { $0.close() } }
        let started = Date()
        // when they drip a byte every 300 ms for 8 s, while a client from 127.0.0.1 asks every 200 ms
        let drip = Task.detached {
            while Date().timeIntervalSince(started) < 8 {
                for socket in dripping { socket.drip() }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        var answers: [(at: Double, ok: Bool)] = []
        while Date().timeIntervalSince(started) < 8 {
            let ok = (try? await offThePool { try Self.healthz(port: server.port) }) ?? false
            answers.append((Date().timeIntervalSince(started), ok))
            try await Task.sleep(for: .milliseconds(200))
        }
        await drip.value
        for _ in 0..<3 {
            let ok = (try? await offThePool { try Self.healthz(port: server.port) }) ?? false
            answers.append((Date().timeIntervalSince(started), ok))
        }
        // then every dripping socket was closed by the server, and from 5 s on (the deadlines
        // and a window past them) every request of the other client was answered
        #expect(dripping.allSatisfy { $0.closedByServer() }, "\(dripping.filter { !$0.closedByServer() }.count) still open")
        let late = answers.filter { $0.at >= 5 }
        #expect(!late.isEmpty && late.allSatisfy(\.ok), "\(answers)")
    }

    /// One GET /healthz on a new connection from 127.0.0.1; true when answered 200.
    static func healthz(port: Int) throws -> Bool {
        let socket = DrippingSocket(
            from: "127.0.0.1", port: port, body: false, send: "GET /healthz HTTP/1.1\r\nHost: muster\r\nConnection: close\r\n\r\n")
        defer { socket.close() }
        return socket.readAll(timeout: 5).hasPrefix("HTTP/1.1 200")
    }
}

/// A TCP connection from a chosen loopback address that sends a request's start and then one
/// byte at a time: of the head, or (with `body`) of a large declared body.
final class DrippingSocket: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()

    init(from source: String, port: Int, body: Bool, send start: String? = nil) {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        _ = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        _ = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let opening =
            start
            ?? (body
                ? "POST /ingest/generic/some-key HTTP/1.1\r\nHost: muster\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
                : "GET /healthz HTTP/1.1\r\nHost: muster\r\n")
        write(opening)
    }

    /// Sends one more byte (a header's or the body's); a socket the server closed just fails.
    func drip() { write("x") }

    private func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the server has closed the connection: a read returns end of file or an error now.
    func closedByServer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
    }

    /// Everything the server sends until it closes, or `timeout` seconds.
    func readAll(timeout: Int) -> String {
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    func close() { _ = Glibc.close(descriptor) }
}
