import Foundation
import MusterTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP forwarder to a server, which a test can cut (every connection closed, new ones
/// refused) and restore on the same port, so the server seems to go away and come back; or freeze
/// (connections stay open, nothing is passed on), so the server seems to hang.
final class TCPProxy: @unchecked Sendable {
    private(set) var port = 0
    private let target: Int
    private let lock = NSLock()
    private var listener: Int32 = -1
    /// Forwarded connections by client socket; a pair is closed only by the last of its two
    /// pumps, so no socket number is closed while a pump may still use it (or after its reuse).
    private var pairs: [Int32: Pair] = [:]
    private var frozen = false

    private struct Pair {
        var client: Int32
        var upstream: Int32
        var pumps = 2
    }

    init(to target: Int) throws {
        self.target = target
        try listen()
    }

    /// Ends every forwarded connection and stops accepting new ones.
    func cut() {
        lock.lock()
        defer { lock.unlock() }
        if listener >= 0 {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            listener = -1
        }
        for pair in pairs.values {
            shutdown(pair.client, Int32(SHUT_RDWR))
            shutdown(pair.upstream, Int32(SHUT_RDWR))
        }
        frozen = false
    }

    /// Accepts connections again, on the same port.
    func restore() throws {
        try listen()
    }

    /// Stops passing bytes on, in both directions, without closing anything: the server seems to
    /// hang. New connections are accepted and hang too.
    func freeze() {
        lock.lock()
        frozen = true
        lock.unlock()
    }

    /// Passes on again what was held and what comes after.
    func thaw() {
        lock.lock()
        frozen = false
        lock.unlock()
    }

    deinit { cut() }

    private var isFrozen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return frozen
    }

    private func listen() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Loopback.address(port: port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0, Glibc.listen(fd, 64) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else {
            close(fd)
            throw ProxyError(message: "cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        lock.lock()
        listener = fd
        lock.unlock()
        Thread { self.accept(on: fd) }.start()
    }

    private func accept(on fd: Int32) {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            guard client >= 0 else { return }
            let upstream = Loopback.connect(port: target)
            lock.lock()
            let live = listener == fd && upstream != nil
            if live, let upstream { pairs[client] = Pair(client: client, upstream: upstream) }
            lock.unlock()
            guard live, let upstream else {
                close(client)
                if let upstream { close(upstream) }
                continue
            }
            Thread { self.pump(from: client, to: upstream, pair: client) }.start()
            Thread { self.pump(from: upstream, to: client, pair: client) }.start()
        }
    }

    private func pump(from source: Int32, to sink: Int32, pair: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        forwarding: while true {
            let count = read(source, &buffer, buffer.count)
            guard count > 0 else { break }
            while isFrozen { usleep(10_000) }
            var sent = 0
            while sent < count {
                let written = buffer[sent..<count].withUnsafeBytes { send(sink, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { break forwarding }
                sent += written
            }
        }
        lock.lock()
        defer { lock.unlock() }
        shutdown(sink, Int32(SHUT_WR))
        pairs[pair]?.pumps -= 1
        if let done = pairs[pair], done.pumps == 0 {
            close(done.client)
            close(done.upstream)
            pairs[pair] = nil
        }
    }
}

struct ProxyError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
