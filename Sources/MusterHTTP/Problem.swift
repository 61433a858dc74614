import Foundation
import Hummingbird

/// An RFC 9457 problem document: every error the API returns has this shape.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    /// The request field at fault, dotted for nested fields (`impact.usersAffectedPercent`).
    public var field: String?
    /// Seconds the client should wait before trying again, sent as `Retry-After`.
    public var retryAfterSeconds: Int?
    /// The methods the path takes, sent as `Allow` with a 405.
    public var allow: [String]?

    public init(
        status: HTTPResponse.Status, slug: String, title: String, detail: String, field: String? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.type = "urn:muster:problem:\(slug)"
        self.title = title
        self.detail = detail
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The wire form.
    public struct Document: Codable, Sendable, Equatable {
        public var type: String
        public var title: String
        public var status: Int
        public var detail: String
        public var field: String?
    }

    public var document: Document { Document(type: type, title: title, status: status.code, detail: detail, field: field) }

    /// A request field is missing or wrong.
    public static func invalid(_ field: String?, _ detail: String) -> Problem {
        Problem(status: .badRequest, slug: "invalid-request", title: "Invalid request", detail: detail, field: field)
    }

    public static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, slug: "unauthorized", title: "Authentication required", detail: detail)
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "Not found", detail: detail)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"muster\"" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if let allow { headers[.allow] = allow.joined(separator: ", ") }
        let body = (try? APICoding.encoder.encode(document)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Problem: CustomStringConvertible {
    public var description: String { "\(status.code) \(title): \(detail)" }
}
