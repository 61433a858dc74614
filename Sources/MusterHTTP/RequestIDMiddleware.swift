import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MusterCore

/// Gives every request an id (the caller's `X-Request-Id`, or Hummingbird's own), logs it and
/// echoes it back. Each request is logged when answered: at debug, or at info as an access log.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    var accessLog = false
    /// Proxies whose `X-Forwarded-For` names the client.
    var trustedProxies: Set<String> = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[.requestID].flatMap { $0.count <= 128 ? $0 : nil }
        // Hummingbird numbers every request already; its id is cheaper than a new UUID.
        let id = given ?? context.id
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = id
            log(request, status: response.status.code, since: start, context)
            return response
        } catch {
            log(request, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start, context)
            throw error
        }
    }

    /// The client's address: the peer's, or behind a trusted proxy the nearest address in
    /// `X-Forwarded-For` that is not a trusted proxy itself (the ones before it could be forged).
    func client(of request: Request, peer: String?) -> String {
        guard let peer, trustedProxies.contains(peer), let forwarded = request.headers[.xForwardedFor] else { return peer ?? "unknown" }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? peer
    }

    private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant, _ context: Context) {
        let logger = context.logger
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
        let milliseconds = start.duration(to: .now).inSeconds * 1_000
        logger.log(
            level: accessLog ? .info : .debug, "\(request.method) \(request.uri.loggedPath) \(status)",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.loggedPath)", "status": "\(status)",
                "client": "\(client(of: request, peer: peer))",
                "duration_ms": "\((milliseconds * 10).rounded() / 10)",
            ])
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
