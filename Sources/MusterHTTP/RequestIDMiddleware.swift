import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MusterCore

/// Gives every request an id (the caller's `X-Request-Id`, or Hummingbird's own), logs it and echoes it back.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[.requestID].flatMap { $0.count <= 128 ? $0 : nil }
        // Hummingbird numbers every request already; its id is cheaper than a new UUID.
        let id = given ?? context.id
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = id
        context.logger.debug("\(request.method) \(request.uri.loggedPath) \(response.status.code) \(ContinuousClock.now - start)")
        return response
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
