import Foundation
import Hummingbird
import HummingbirdTesting
import MusterCore
import MusterEngine
import MusterStore
import Testing

@testable import MusterApp

@Suite("Webhook delivery: what a page's sender is told when a receiver fails")
struct WebhookDeliveryTests {
    let key = Data("a-signing-key-of-at-least-32-bytes!!".utf8)

    /// A real receiver on loopback: `/hook` takes pages, `/moved` redirects to `/landing`, which
    /// answers any GET, `/slow` answers after two seconds.
    func withReceiver(_ body: @escaping @Sendable (String, PostCount) async throws -> Void) async throws {
        let posts = PostCount()
        let router = Router()
        router.post("hook") { _, _ -> HTTPResponse.Status in
            await posts.add()
            return .ok
        }
        router.post("moved") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/landing"])
        }
        router.get("landing") { _, _ -> String in "A page for people, not for webhooks" }
        router.post("slow") { _, _ -> HTTPResponse.Status in
            try await Task.sleep(for: .seconds(2))
            return .ok
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)", posts)
        }
    }

    func send(_ address: String, timeout: Duration = .seconds(10)) async throws -> DeliveryResult {
        let channel = WebhookChannel(signingKey: key, publicURL: "http://muster.test", answerTimeout: timeout)
        return await channel.sendTest(to: try ContactMethod(id: UUID(), kind: .webhook, address: address), user: "ann", at: Date())
    }

    @Test("a redirect is a failure that names where it leads, not a delivery to the page it leads to")
    func redirect() async throws {
        try await withReceiver { base, posts in
            // when
            let result = try await send(base + "/moved")

            // then
            #expect(
                result
                    == .failed(
                        "the receiver answered 302 Found, a redirect to /landing; webhooks do not follow redirects, so use that address"))
            #expect(await posts.count == 0)
        }
    }

    @Test("a receiver's error status is reported with its reason phrase")
    func errorStatus() async throws {
        try await withReceiver { base, _ in
            // when
            let result = try await send(base + "/nowhere")

            // then
            #expect(result == .failed("the receiver answered 404 Not Found"))
        }
    }

    @Test("a receiver that does not answer in time is reported as such")
    func slowReceiver() async throws {
        try await withReceiver { base, _ in
            // when
            let result = try await send(base + "/slow", timeout: .milliseconds(500))

            // then
            #expect(result == .failed("no answer from 127.0.0.1 within 0.5 seconds"))
        }
    }

    @Test("a port nothing listens on is reported as a refused connection")
    func refused() async throws {
        // given: a port that was free a moment ago
        let port = try await FreePort.find(host: "127.0.0.1")

        // when
        let result = try await send("http://127.0.0.1:\(port)/hook")

        // then
        #expect(result == .failed("127.0.0.1:\(port) refused the connection"))
    }

    @Test("a page still reaches a receiver that answers 2xx")
    func delivered() async throws {
        try await withReceiver { base, posts in
            // when
            let result = try await send(base + "/hook")

            // then
            #expect(result == .delivered)
            #expect(await posts.count == 1)
        }
    }
}

actor PostCount {
    private(set) var count = 0
    func add() { count += 1 }
}
