import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

/// A router over a real store, with one token per role and a clock the test moves.
struct APIHarness {
    let env: APIEnvironment
    let store: any Store
    let clock: ManualClock
    let client: any TestClientProtocol
    let admin: String
    let responder: String
    let viewer: String

    /// Runs `body` against a fresh database of `backend`, through the router without a network.
    static func run(
        _ backend: TestBackend, maxBodyBytes: Int = 64 * 1024, maxIngestBodyBytes: Int = 1 << 20, reopenWindow: Int = 3_600,
        ingestRate: Double = 0, configure: @escaping @Sendable (inout APIEnvironment) throws -> Void = { _ in },
        _ body: @escaping @Sendable (APIHarness) async throws -> Void
    ) async throws {
        try await backend.withStore { store in
            let clock = ManualClock()
            let admin = try await store.createToken(name: "root", role: .admin, at: clock.now).1
            let responder = try await store.createToken(name: "alice", role: .responder, at: clock.now).1
            let viewer = try await store.createToken(name: "watcher", role: .viewer, at: clock.now).1
            var configured = APIEnvironment(
                stores: Stores(store), scheme: .standard, reopenWindowSeconds: reopenWindow, maxBodyBytes: maxBodyBytes,
                maxIngestBodyBytes: maxIngestBodyBytes,
                now: { clock.now }, publicURL: "http://muster.test", rateLimiter: RateLimiter(rate: ingestRate, burst: ingestRate * 2))
            try configure(&configured)
            let env = configured
            let app = Application(router: MusterRouter.build(env))
            try await app.test(.router) { client in
                try await body(
                    APIHarness(env: env, store: store, clock: clock, client: client, admin: admin, responder: responder, viewer: viewer))
            }
        }
    }

    /// Sends a request; `token` nil sends no Authorization header.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil, headers: HTTPFields = [:])
        async throws -> Reply
    {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let reply = Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        ResponseRecorder.record(method: method, uri: uri, reply: reply)
        return reply
    }

    /// Sends as the responder, the usual writer.
    @discardableResult
    func write(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> Reply {
        try await send(method, uri, token: responder, body: body)
    }

    /// POSTs as the responder.
    @discardableResult
    func write(_ uri: String, _ body: String? = nil) async throws -> Reply {
        try await send(.post, uri, token: responder, body: body)
    }

    /// Creates service `web` with an integration of `kind`; returns the integration key.
    func integration(_ kind: String, policy: String? = nil) async throws -> String {
        if try await send(.get, "/api/v1/services/web", token: viewer).status == .notFound {
            _ = try await write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
        }
        if let policy { _ = try await write(.put, "/api/v1/services/web/alert-policy", policy) }
        let reply = try await write("/api/v1/services/web/integrations", #"{"kind":"\#(kind)"}"#)
        #expect(reply.status == .created, "\(reply.text)")
        return try #require(reply.object["key"] as? String)
    }

    /// Declares an incident and returns its reference.
    func declare(_ json: String = #"{"title":"Checkout failing","severity":"P1"}"#) async throws -> String {
        let reply = try await write("/api/v1/incidents", json)
        #expect(reply.status == .created, "declare failed: \(reply.text)")
        return try #require(reply.object["reference"] as? String)
    }
}

/// A response, with helpers to read its JSON.
struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    /// The items of a list answer (every list comes in an envelope with `items` and `total`).
    var array: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
    /// How many items the list holds in all.
    var total: Int? { object["total"] as? Int }

    /// Asserts this is a problem document with `status`, naming `field` when given, and returns its detail.
    @discardableResult
    func expectProblem(_ status: HTTPResponse.Status, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(self.status == status, "expected \(status.code), got \(self.status.code): \(text)", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(object["status"] as? Int == status.code, sourceLocation: sourceLocation)
        #expect((object["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        if let field { #expect(object["field"] as? String == field, "\(text)", sourceLocation: sourceLocation) }
        return object["detail"] as? String ?? ""
    }
}

/// Writes every response the router tests receive to the file named by `MUSTER_RECORD_RESPONSES`,
/// one JSON object a line, for `scripts/check-responses.py` to check against openapi.yaml.
enum ResponseRecorder {
    private static let lock = NSLock()
    private static let path = ProcessInfo.processInfo.environment["MUSTER_RECORD_RESPONSES"]

    static func record(method: HTTPRequest.Method, uri: String, reply: Reply) {
        guard let path else { return }
        let entry: [String: Any] = [
            "method": method.rawValue, "path": uri, "status": reply.status.code,
            "contentType": reply.headers[.contentType] ?? "", "body": reply.text,
        ]
        guard var line = try? JSONSerialization.data(withJSONObject: entry) else { return }
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(line)
        try? handle.close()
    }
}
