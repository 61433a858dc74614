import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

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
            headers[.cacheControl] = "no-store"
            // A reverse proxy must pass each event on at once rather than buffer the stream.
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n: watching\n\n"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let (ticks, tick) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
                    group.addTask {
                        for await stamp in changes { tick.yield("event: change\ndata: \(stamp)\n\n") }
                        tick.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: Self.heartbeat)
                            tick.yield(": still here\n\n")
                        }
                    }
                    for await text in ticks { try await writer.write(ByteBuffer(string: text)) }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
