import Foundation
import Hummingbird
import Logging
import MusterCore
import MusterStore

/// Turns every error thrown below it into a problem document, so clients never see a bare 500 page.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A database away fails every request alike: one line a minute says so, with the count.
    private let unavailable = LogSampler(interval: 60)

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = Self.problem(for: error)
            // The router answers "no route" alike for an unknown path and a known path asked with
            // another method; the second is a 405 that says which methods the path takes.
            if let error = error as? HTTPError, error.status == .notFound, let allowed = RouteMethods.allowed(for: request.uri.path),
                !allowed.contains(request.method.rawValue)
            {
                problem = Problem(
                    status: .methodNotAllowed, slug: "method-not-allowed", title: "Method not allowed",
                    detail: "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method.rawValue).")
                problem.allow = allowed
            }
            if case StoreError.rejected = error {
                // Validation should have caught the value first; this is worth a look.
                context.logger.warning("database refused a value", metadata: ["error": "\(error)", "path": "\(request.uri.loggedPath)"])
            }
            // Throttling is answered on purpose (a 503 for Alertmanager), and logged where it is decided.
            if problem.retryAfterSeconds == nil, problem.status.code >= 500, let unlogged = unloggedBefore(error) {
                context.logger.error(
                    "request failed",
                    metadata: [
                        "error": "\(String(reflecting: error))", "path": "\(request.uri.loggedPath)", "unlogged": "\(unlogged)",
                    ])
            }
            return try problem.response(from: request, context: context)
        }
    }

    /// How many failures like this one went unlogged before it, or nil to leave it unlogged: a
    /// database away is logged once a minute, every other server failure each time.
    private func unloggedBefore(_ error: any Error) -> Int? {
        guard StoreError.isUnavailable(error) else { return 0 }
        return unavailable.take("unavailable", at: Date())
    }

    /// The problem document for any error the handlers or the store may throw.
    static func problem(for error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as IncidentError:
            switch error {
            case .invalidTransition, .alreadyAcknowledged, .alreadyInStatus, .notResolved, .reopenWindowPassed, .closed,
                .sameSeverity, .roleAlreadyHeld, .roleNotAssigned:
                return Problem(
                    status: .conflict, slug: "conflict", title: "Not possible in the incident's current state", detail: error.message,
                    field: error.field)
            case .confirmationRequired:
                return Problem(
                    status: .conflict, slug: "confirmation-required", title: "Needs a confirmed reason", detail: error.message,
                    field: error.field)
            case .hypothesisNotFound:
                return .notFound(error.message)
            case .unknownSeverity, .reasonRequired, .invalidField:
                return .invalid(error.field, error.message)
            }
        case let error as StoreError:
            switch error {
            case .notFound: return .notFound(error.description)
            case .conflict: return Problem(status: .conflict, slug: "conflict", title: "Conflict", detail: error.description)
            case .invalid(let field, _): return .invalid(field, error.description)
            case .rejected: return .invalid(nil, error.description)
            case .corrupt, .schemaTooNew:
                return Problem(
                    status: .internalServerError, slug: "internal", title: "Internal error",
                    detail: "Stored data could not be read; the error is logged.")
            case .unavailable:
                return Problem(
                    status: .serviceUnavailable, slug: "unavailable", title: "Database unavailable",
                    detail: "The database did not answer; try again shortly. The error is logged.")
            case .contention:
                return Problem(
                    status: .serviceUnavailable, slug: "contention", title: "Database busy",
                    detail: "Another transaction held what this request needed, several times over; try again. The error is logged.")
            }
        case let error as IngestError:
            return .invalid(error.field, error.message)
        case let error as HTTPError:
            let detail = error.body ?? Self.defaultDetail(error.status)
            return Problem(status: error.status, slug: "http-\(error.status.code)", title: error.status.reasonPhrase, detail: detail)
        default:
            return Problem(
                status: .internalServerError, slug: "internal", title: "Internal error",
                detail: "Something went wrong on the server; the error is logged.")
        }
    }

    static func defaultDetail(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No such route."
        case .contentTooLarge: "The request body is larger than the server accepts."
        case .methodNotAllowed: "This route does not accept that method."
        default: status.reasonPhrase
        }
    }
}
