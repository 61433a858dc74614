import Hummingbird
import HummingbirdCore
import Testing

@testable import MusterHTTP

@Suite("Clients behind a trusted proxy")
struct ForwardedClientTests {
    let middleware = RequestIDMiddleware<MusterRequestContext>(accessLog: true, trustedProxies: ["10.0.0.5", "10.0.0.6"])

    func request(forwardedFor: String?) -> Request {
        var headers = HTTPFields()
        if let forwardedFor { headers[.xForwardedFor] = forwardedFor }
        return Request(
            head: .init(method: .get, scheme: "http", authority: "muster", path: "/healthz", headerFields: headers),
            body: .init(buffer: .init()))
    }

    @Test("behind a trusted proxy the client is the nearest forwarded address that is no proxy; elsewhere the header is ignored")
    func client() {
        // given / when / then
        #expect(middleware.client(of: request(forwardedFor: "203.0.113.9"), peer: "10.0.0.5") == "203.0.113.9")
        // A client may send its own X-Forwarded-For: only the hops the proxies added are believed.
        #expect(middleware.client(of: request(forwardedFor: "6.6.6.6, 203.0.113.9, 10.0.0.6"), peer: "10.0.0.5") == "203.0.113.9")
        #expect(middleware.client(of: request(forwardedFor: "6.6.6.6"), peer: "198.51.100.7") == "198.51.100.7")
        #expect(middleware.client(of: request(forwardedFor: nil), peer: "10.0.0.5") == "10.0.0.5")
    }
}
