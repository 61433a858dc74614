import Foundation
import Hummingbird

/// The one shape of every list the API answers: a page of `items`, how many match in all, and
/// the page asked for (`limit`, `offset` query parameters).
struct ListEnvelope<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int

    /// The page of `all` that the request's `limit` and `offset` ask for.
    init(paging all: [Item], _ request: Request, defaultLimit: Int = 100, maxLimit: Int = 1_000) throws {
        let limit = try APICoding.limit(request, default: defaultLimit, max: maxLimit)
        let offset = try APICoding.offset(request.uri.queryParameters)
        self.init(items: Array(all.dropFirst(offset).prefix(limit)), total: all.count, limit: limit, offset: offset)
    }

    init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}
