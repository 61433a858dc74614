import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /live`: Server-Sent Events that tell a signed-in page something changed, so it fetches
/// itself again. The events carry no data of their own: the page reads what it may see through
/// the same routes as any other request.
struct LiveController {
    let env: APIEnvironment
    /// A comment this often keeps proxies from closing a quiet stream.
    static let heartbeat: Duration = .seconds(20)

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("live") { request, _ -> Response in
            guard try await WebAuth(env: env).signedIn(request) != nil else {
                throw Problem.unauthorized("Sign in to the pages to watch them live.")
            }
            let changes = await env.liveChanges.watch()
            var headers = WebPages.headers(contentType: "text/event-stream")
            // A reverse proxy must pass each event on at once rather than buffer the stream.
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n: watching\n\n"))
                let (texts, text) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(2))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await stamp in changes { text.yield("event: change\ndata: \(stamp)\n\n") }
                        text.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: Self.heartbeat)
                            text.yield(": still here\n\n")
                        }
                    }
                    // A stream never ends by itself: the server's shutdown ends it, and the page reconnects.
                    try await withGracefulShutdownHandler {
                        for await next in texts { try await writer.write(ByteBuffer(string: next)) }
                    } onGracefulShutdown: {
                        text.finish()
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
