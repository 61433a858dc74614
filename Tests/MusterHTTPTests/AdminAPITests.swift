import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Services, severities, tokens and health")
struct AdminAPITests {
    @Test("services are created, listed and shown; duplicates conflict", arguments: TestBackend.all)
    func services(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let created = try await api.write(
                "/api/v1/services", #"{"id":"checkout","name":"Checkout","runbookURL":"https://runbooks.example/checkout"}"#)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/services/checkout")
            try await api.write("/api/v1/services", #"{"id":"checkout","name":"Again"}"#).expectProblem(.conflict)
            let list = try await api.send(.get, "/api/v1/services", token: api.viewer)
            #expect(list.array.compactMap { $0["id"] as? String } == ["checkout"])
            let shown = try await api.send(.get, "/api/v1/services/checkout", token: api.viewer)
            #expect(shown.object["runbookURL"] as? String == "https://runbooks.example/checkout")
        }
    }

    @Test("the severity scheme and matrix are published", arguments: TestBackend.all)
    func severities(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let scheme = try await api.send(.get, "/api/v1/severities", token: api.viewer).object
            let levels = try #require(scheme["levels"] as? [[String: Any]])
            #expect(levels.compactMap { $0["name"] as? String } == ["P1", "P2", "P3", "P4"])
            #expect((scheme["matrix"] as? [String: [String: String]])?["few"]?["low"] == "P4")
            let proposal = try await api.send(
                .get, "/api/v1/severities/propose?userImpact=many&businessImpact=significant", token: api.viewer
            ).object
            #expect((proposal["severity"] as? [String: Any])?["name"] as? String == "P2")
        }
    }

    @Test("admins manage tokens over the API; others may not", arguments: TestBackend.all)
    func tokens(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await api.send(.get, "/api/v1/tokens", token: api.responder).expectProblem(.forbidden)
            try await api.send(.post, "/api/v1/tokens", token: api.responder, body: #"{"name":"x","role":"admin"}"#).expectProblem(
                .forbidden)
            let created = try await api.send(.post, "/api/v1/tokens", token: api.admin, body: #"{"name":"bot","role":"viewer"}"#)
            #expect(created.status == .created)
            let secret = try #require(created.object["secret"] as? String)
            #expect(try await api.send(.get, "/api/v1/incidents", token: secret).status == .ok)
            let listed = try await api.send(.get, "/api/v1/tokens", token: api.admin)
            #expect(listed.array.compactMap { $0["name"] as? String }.sorted() == ["alice", "bot", "root", "watcher"])
            #expect(!listed.text.contains(secret))
            #expect(!listed.text.contains("hash"))
            #expect(try await api.send(.delete, "/api/v1/tokens/bot", token: api.admin).status == .ok)
            try await api.send(.get, "/api/v1/incidents", token: secret).expectProblem(.unauthorized)
            try await api.send(.post, "/api/v1/tokens", token: api.admin, body: #"{"name":"y","role":"god"}"#).expectProblem(
                .badRequest, field: "role")
        }
    }

    @Test("a token may carry an expiry, past which it stops working; an expiry in the past is refused", arguments: TestBackend.all)
    func expiry(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a token that expires in an hour
            let expires = RFC3339.format(api.clock.now.addingTimeInterval(3_600))
            let created = try await api.send(
                .post, "/api/v1/tokens", token: api.admin, body: #"{"name":"ci","role":"viewer","expiresAt":"\#(expires)"}"#)
            #expect(created.status == .created)
            #expect((created.object["token"] as? [String: Any])?["expiresAt"] as? String == expires)
            let secret = try #require(created.object["secret"] as? String)
            #expect(try await api.send(.get, "/api/v1/incidents", token: secret).status == .ok)
            // when the hour has passed
            api.clock.advance(by: 3_601)
            // then it is refused like a revoked one, and its name may be used again
            let refused = try await api.send(.get, "/api/v1/incidents", token: secret).expectProblem(.unauthorized)
            #expect(refused.contains("has expired"))
            #expect(
                try await api.send(.post, "/api/v1/tokens", token: api.admin, body: #"{"name":"ci","role":"viewer"}"#).status == .created)
            // and an expiry that has passed already is refused
            let past = RFC3339.format(api.clock.now.addingTimeInterval(-60))
            try await api.send(.post, "/api/v1/tokens", token: api.admin, body: #"{"name":"old","role":"viewer","expiresAt":"\#(past)"}"#)
                .expectProblem(.badRequest, field: "expiresAt")
        }
    }

    @Test("a token cannot revoke itself, and the last admin token cannot be revoked", arguments: TestBackend.all)
    func lastAdmin(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a second admin token beside root
            let created = try await api.send(.post, "/api/v1/tokens", token: api.admin, body: #"{"name":"ops","role":"admin"}"#)
            let other = try #require(created.object["secret"] as? String)
            // when root revokes itself, then it is refused
            let itself = try await api.send(.delete, "/api/v1/tokens/root", token: api.admin).expectProblem(.conflict)
            #expect(itself.contains("cannot revoke itself"))
            // when the other admin revokes root, it works, and root is gone
            #expect(try await api.send(.delete, "/api/v1/tokens/root", token: other).status == .ok)
            try await api.send(.get, "/api/v1/incidents", token: api.admin).expectProblem(.unauthorized)
            // and the last admin token cannot be revoked, even on the server's own authority
            await #expect(throws: StoreError.self) { try await api.store.revokeToken("ops", at: api.clock.now) }
            #expect(try await api.send(.get, "/api/v1/tokens", token: other).status == .ok)
        }
    }

    @Test("health, readiness and the API document need no token", arguments: TestBackend.all)
    func health(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            #expect(try await api.send(.get, "/healthz").object["status"] as? String == "ok")
            // readiness tells anyone only whether the server is ready; details need a token
            let anonymous = try await api.send(.get, "/readyz")
            #expect(anonymous.status == .ok && anonymous.object["status"] as? String == "ok")
            #expect(anonymous.object["database"] == nil && anonymous.object["schemaVersion"] == nil)
            let detailed = try await api.send(.get, "/readyz", token: api.viewer)
            #expect(detailed.object["database"] as? String == "reachable")
            #expect((detailed.object["schemaVersion"] as? Int ?? 0) >= 7)
            try await api.send(.get, "/readyz", token: "mus_not-a-token").expectProblem(.unauthorized)
            let json = try await api.send(.get, "/openapi.json")
            #expect(json.status == .ok)
            #expect(json.object["openapi"] as? String == "3.1.0")
            let yaml = try await api.send(.get, "/openapi.yaml")
            #expect(yaml.text.hasPrefix("openapi: 3.1.0"))
            #expect(try await api.send(.get, "/healthz").headers[.init("X-Request-Id")!] != nil)
            #expect(try await api.send(.get, "/version").object["version"] as? String == MusterVersion.number)
            let metrics = try await api.send(.get, "/metrics")
            #expect(metrics.status == .ok && metrics.text.contains("muster_build_info{version=\"\(MusterVersion.number)\"} 1"))
        }
    }
}
