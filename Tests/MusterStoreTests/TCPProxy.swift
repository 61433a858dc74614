import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP forwarder to a server, which a test can cut (every connection closed, new ones
/// refused) and restore on the same port: the server seems to go away and come back.
final class TCPProxy: @unchecked Sendable {
    private(set) var port = 0
    private let target: Int
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var sockets: [Int32] = []

    init(to target: Int) throws {
        self.target = target
        try listen()
    }

    /// Closes every forwarded connection and stops accepting new ones.
    func cut() {
        lock.lock()
        let open = [listener] + sockets
        (listener, sockets) = (-1, [])
        lock.unlock()
        for fd in open where fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// Accepts connections again, on the same port.
    func restore() throws {
        try listen()
    }

    deinit { cut() }

    private func listen() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: port)
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
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            lock.lock()
            let live = listener == fd && connected == 0
            if live { sockets += [client, upstream] }
            lock.unlock()
            guard live else {
                close(client)
                close(upstream)
                continue
            }
            Thread { Self.pump(from: client, to: upstream) }.start()
            Thread { Self.pump(from: upstream, to: client) }.start()
        }
    }

    private static func pump(from source: Int32, to sink: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(source, &buffer, buffer.count)
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer[sent..<count].withUnsafeBytes { write(sink, $0.baseAddress, $0.count) }
                guard written > 0 else { return }
                sent += written
            }
        }
        shutdown(sink, Int32(SHUT_WR))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}

struct ProxyError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
