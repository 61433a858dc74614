import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MusterCore

/// Gives every request an id (the caller's `X-Request-Id`, or Hummingbird's own), logs it and
/// echoes it back. Each request is logged when answered: at debug, or at info as an access log.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    var accessLog = false

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
            log(request, status: response.status.code, since: start, context.logger)
            return response
        } catch {
            log(request, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start, context.logger)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant, _ logger: Logger) {
        let elapsed = start.duration(to: .now).components
        let milliseconds = Double(elapsed.seconds) * 1_000 + Double(elapsed.attoseconds) / 1e15
        logger.log(
            level: accessLog ? .info : .debug, "\(request.method) \(request.uri.loggedPath) \(status)",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.loggedPath)", "status": "\(status)",
                "duration_ms": "\((milliseconds * 10).rounded() / 10)",
            ])
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
