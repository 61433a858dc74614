import Hummingbird

/// Refuses a query string holding an encoded NUL (`%00`) before any route reads it: PostgreSQL
/// cannot compare text with NUL in it, and the same query must get the same answer on both stores.
struct NULQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, NULText.isEncoded(inQuery: query) {
            throw Problem.invalid(nil, "The query string holds a NUL character (%00); Muster does not accept it in any text.")
        }
        return try await next(request, context)
    }
}
