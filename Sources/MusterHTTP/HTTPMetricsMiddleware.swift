import Hummingbird
import MusterMetrics

/// Counts every request by method, route pattern and status, and times it. It runs outside the
/// problem middleware, so refusals are counted with the status the client saw.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MusterMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        // The pattern, never the raw path: paths carry ids and keys, and each would be a series.
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            record(request, route: route, status: response.status.code, since: start)
            return response
        } catch {
            record(request, route: route, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func record(_ request: Request, route: String, status: Int, since start: ContinuousClock.Instant) {
        metrics.httpRequest(method: request.method.rawValue, route: route, status: status, seconds: start.duration(to: .now).inSeconds)
    }
}
