import NIOCore
import NIOPosix

/// Resolves `port: 0` before anything is built, so acknowledge links, set-up snippets and the
/// listener agree on one port. Another process could take the port in between; `0` is for tests
/// and local trials, where that does not happen in practice.
enum FreePort {
    static func find(host: String) async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: host, port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close().get()
        return port
    }
}
