import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MusterCore
import MusterEngine
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Mitigation hooks: a mitigation kind calls a signed webhook and its answer is recorded")
struct MitigationHookTests {
    static let key = Data("a-signing-key-of-at-least-32-bytes!!".utf8)

    /// What the receiver was sent.
    actor Calls {
        struct Call {
            var path: String
            var headers: HTTPFields
            var body: Data
        }
        private(set) var all: [Call] = []
        func add(_ call: Call) { all.append(call) }
    }

    /// A CI system on loopback: `/rollback` takes the job, `/broken` fails.
    static func withReceiver(_ body: @escaping @Sendable (String, Calls) async throws -> Void) async throws {
        let calls = Calls()
        let router = Router()
        router.post("rollback") { request, _ -> Response in
            let data = try await request.body.collect(upTo: 1 << 20)
            await calls.add(.init(path: request.uri.description, headers: request.headers, body: Data(buffer: data)))
            return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "Job 4812 queued\n")))
        }
        router.post("broken") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            await calls.add(.init(path: request.uri.description, headers: request.headers, body: Data()))
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "runner offline")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)", calls)
        }
    }

    /// Hooks for rollback (with a token in its URL), restart (failing) and failover (nobody listens).
    static func configure(_ base: String) -> @Sendable (inout APIEnvironment) throws -> Void {
        { env in
            env.mitigationHooks = try MitigationHooks([
                "rollback": "\(base)/rollback?token=s3cret", "restart": "\(base)/broken", "failover": "http://127.0.0.1:9/nobody",
            ])
            let caller = MitigationHookCaller(signingKey: key, answerTimeout: .seconds(5))
            env.callMitigationHook = { call, url, shown in await caller.call(call, to: url, shown: shown, at: Date()) }
        }
    }

    @Test("a rollback calls its hook signed, and the answer, taken or not, is on the timeline", arguments: TestBackend.all)
    func hooks(backend: TestBackend) async throws {
        try await Self.withReceiver { base, calls in
            try await APIHarness.run(backend, configure: Self.configure(base)) { api in
                // given a P1
                let reference = try await api.declare()
                // when a responder records a rollback of api and asks for its hook
                let rolled = try await api.write(
                    "/api/v1/incidents/\(reference)/timeline",
                    #"{"kind":"action","text":"Roll back api to v2.33","mitigation":"rollback","target":"api","runHook":true}"#)
                // then the hook took the job, and the answer names it without the URL's token
                #expect(rolled.status == .created, "\(rolled.text)")
                let hook = try #require(rolled.object["hook"] as? [String: Any])
                #expect(hook["status"] as? Int == 202 && hook["body"] as? String == "Job 4812 queued" && hook["failure"] == nil)
                #expect(hook["address"] as? String == base)
                // and the receiver got signed JSON naming the incident, the mitigation and who asked
                let call = try #require(await calls.all.first)
                #expect(call.path == "/rollback?token=s3cret")
                let timestamp = try #require(call.headers[HTTPField.Name("X-Muster-Timestamp")!])
                #expect(
                    call.headers[HTTPField.Name("X-Muster-Signature")!]
                        == "v1=" + WebhookChannel.signature(body: call.body, timestamp: timestamp, key: SymmetricKey(data: Self.key)))
                let sent = try #require(try JSONSerialization.jsonObject(with: call.body) as? [String: Any])
                #expect(sent["event"] as? String == "mitigation.requested" && sent["mitigation"] as? String == "rollback")
                #expect(sent["target"] as? String == "api" && sent["requestedBy"] as? String == "alice")
                #expect((sent["incident"] as? [String: Any])?["reference"] as? String == reference)
                #expect(call.headers[HTTPField.Name("Idempotency-Key")!] == sent["id"] as? String)
                // when a restart's hook fails and a failover's hook cannot be reached
                let restarted = try await api.write(
                    "/api/v1/incidents/\(reference)/timeline",
                    #"{"kind":"action","text":"Restart the workers","mitigation":"restart","runHook":true}"#)
                let failedOver = try await api.write(
                    "/api/v1/incidents/\(reference)/timeline",
                    #"{"kind":"action","text":"Fail over to eu-west","mitigation":"failover","runHook":true}"#)
                // then each entry is kept and the answer says what went wrong
                #expect(restarted.status == .created && (restarted.object["hook"] as? [String: Any])?["status"] as? Int == 500)
                let unreachable = try #require(failedOver.object["hook"] as? [String: Any])
                #expect((unreachable["failure"] as? String)?.contains("refused the connection") == true, "\(unreachable)")
                let texts = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
                    .compactMap { $0["text"] as? String }
                #expect(texts.contains("Rollback hook (\(base)) answered 202 Accepted: Job 4812 queued"), "\(texts)")
                #expect(texts.contains("Restart hook (\(base)) answered 500 Internal Server Error: runner offline"), "\(texts)")
                #expect(texts.contains { $0.hasPrefix("Failover hook (http://127.0.0.1:9) failed:") }, "\(texts)")
                #expect(texts.filter { ["Roll back api to v2.33", "Restart the workers", "Fail over to eu-west"].contains($0) }.count == 3)
                #expect(!texts.contains { $0.contains("s3cret") })
            }
        }
    }

    @Test("a hook is refused for a kind without one, with markMitigated, or to a viewer, and nothing is recorded")
    func refusals() async throws {
        try await Self.withReceiver { base, calls in
            try await APIHarness.run(.sqlite, configure: Self.configure(base)) { api in
                // given a P1
                let reference = try await api.declare()
                let before = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array.count
                // when hooks are asked for where none can run
                let noHook = try await api.write(
                    "/api/v1/incidents/\(reference)/timeline", #"{"kind":"action","text":"Scale","mitigation":"scale","runHook":true}"#)
                let noKind = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"action","text":"x","runHook":true}"#)
                let both = try await api.write(
                    "/api/v1/incidents/\(reference)/timeline",
                    #"{"kind":"action","text":"x","result":"succeeded","mitigation":"rollback","markMitigated":true,"runHook":true}"#)
                let viewer = try await api.send(
                    .post, "/api/v1/incidents/\(reference)/timeline", token: api.viewer,
                    body: #"{"kind":"action","text":"x","mitigation":"rollback","runHook":true}"#)
                // then each names its field, no hook was called and nothing was recorded
                #expect(noHook.expectProblem(.badRequest, field: "runHook").contains("hooks exist for rollback, restart, failover"))
                _ = noKind.expectProblem(.badRequest, field: "runHook")
                _ = both.expectProblem(.badRequest, field: "markMitigated")
                _ = viewer.expectProblem(.forbidden)
                #expect(await calls.all.isEmpty)
                #expect(try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array.count == before)
            }
        }
    }

    @Test("the entry form offers the hook with its host only, calls it, and names a refusal beside the field")
    func page() async throws {
        try await Self.withReceiver { base, calls in
            try await APIHarness.run(.sqlite, configure: Self.configure(base)) { api in
                // given a P1 and ann, a responder
                let reference = try await api.declare()
                let ann = try await PageSession.signIn(api, "ann", role: .responder)
                // when she opens the incident
                let page = try await ann.get("/incidents/\(reference)")
                // then the form offers the hooks, without the token in their URLs
                #expect(page.text.contains(#"name="runHook""#) && page.text.contains("Rollback → \(base)"), "\(page.text)")
                #expect(!page.text.contains("s3cret"))
                // when she asks for a hook on a kind that has none
                func post(_ mitigation: String) async throws -> Reply {
                    try await ann.post(
                        "/incidents/\(reference)/timeline",
                        [
                            ("kind", "action"), ("text", "Roll back api"), ("result", ""), ("mitigation", mitigation), ("target", "api"),
                            ("runHook", "true"), ("state", ""), ("at", ""),
                        ])
                }
                let refused = try await post("scale")
                // then the page says so beside the field
                #expect(refused.status == .badRequest && refused.text.contains(#"id="entry-hook-error""#), "\(refused.status)")
                // when she asks for the rollback's hook
                #expect(try await post("rollback").status == .seeOther)
                // then the hook was called and its answer is on the page
                #expect(await calls.all.count == 1)
                #expect(try await ann.get("/incidents/\(reference)").text.contains("answered 202 Accepted: Job 4812 queued"))
            }
        }
    }
}
