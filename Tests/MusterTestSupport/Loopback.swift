import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Plain TCP sockets on 127.0.0.1, for tests that play a client or a network themselves.
public enum Loopback {
    /// The address of `port` on `host`, 127.0.0.1 unless given.
    public static func address(port: Int, host: String = "127.0.0.1") -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    /// A new socket connected to `port` on 127.0.0.1, or nil (and nothing left open) when the
    /// connection fails; `errno` says why. With `source` (another address of 127.0.0.0/8, all of
    /// which are this host's) the server sees the connection come from there.
    public static func connect(port: Int, from source: String? = nil) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard source.map({ bind(fd, to: address(port: 0, host: $0)) }) ?? true, connect(fd, to: address(port: port)) else {
            let failure = errno
            close(fd)
            errno = failure
            return nil
        }
        return fd
    }

    private static func bind(_ fd: Int32, to address: sockaddr_in) -> Bool {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func connect(_ fd: Int32, to address: sockaddr_in) -> Bool {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
