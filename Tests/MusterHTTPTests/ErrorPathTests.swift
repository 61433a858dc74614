import Foundation
import MusterStore
import MusterTestSupport
import Testing

@testable import MusterHTTP

@Suite("API error paths")
struct ErrorPathTests {
    @Test("authentication: missing, malformed, unknown and revoked tokens get 401", arguments: TestBackend.all)
    func authentication(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let none = try await api.send(.get, "/api/v1/incidents")
            none.expectProblem(.unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"muster\"")
            try await api.send(.get, "/api/v1/incidents", headers: [.authorization: "Basic abc"]).expectProblem(.unauthorized)
            let unknown = try await api.send(.get, "/api/v1/incidents", token: "mst_nope").expectProblem(.unauthorized)
            let garbage = try await api.send(.get, "/api/v1/incidents", token: String(repeating: "x", count: 5_000)).expectProblem(
                .unauthorized)
            #expect(unknown == garbage)
            _ = try await api.store.revokeToken("watcher", at: api.clock.now)
            let revoked = try await api.send(.get, "/api/v1/incidents", token: api.viewer).expectProblem(.unauthorized)
            // The same words for unknown and revoked, so nobody learns which tokens exist.
            #expect(revoked == unknown)
        }
    }

    @Test("a viewer may read but not write", arguments: TestBackend.all)
    func viewerCannotWrite(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let id = try await api.declare()
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).status == .ok)
            try await api.send(.post, "/api/v1/incidents", token: api.viewer, body: #"{"title":"x","severity":"P1"}"#).expectProblem(
                .forbidden)
            try await api.send(.post, "/api/v1/incidents/\(id)/acknowledge", token: api.viewer).expectProblem(.forbidden)
            try await api.send(.put, "/api/v1/incidents/\(id)/impact", token: api.viewer, body: "{}").expectProblem(.forbidden)
            try await api.send(.delete, "/api/v1/incidents/\(id)/roles/scribe", token: api.viewer).expectProblem(.forbidden)
            try await api.send(.post, "/api/v1/services", token: api.viewer, body: #"{"id":"a","name":"A"}"#).expectProblem(.forbidden)
            // Nothing changed.
            let status = try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).object["incident"] as? [String: Any]
            #expect(status?["status"] as? String == "triggered")
        }
    }

    @Test("unknown incidents and routes answer 404 problems", arguments: TestBackend.all)
    func notFound(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            try await api.send(.get, "/api/v1/incidents/INC-2026-0999", token: api.viewer).expectProblem(.notFound)
            try await api.send(.get, "/api/v1/incidents/INC-2026-0999/timeline", token: api.viewer).expectProblem(.notFound)
            try await api.write("/api/v1/incidents/INC-2026-0999/acknowledge").expectProblem(.notFound)
            try await api.write("/api/v1/incidents/INC-2026-0999/status", #"{"status":"resolved"}"#).expectProblem(.notFound)
            try await api.send(.get, "/api/v1/services/nope", token: api.viewer).expectProblem(.notFound)
            try await api.send(.get, "/no/such/route", token: api.viewer).expectProblem(.notFound)
        }
    }

    @Test("invalid transitions are 409 with the allowed moves", arguments: TestBackend.all)
    func invalidTransitions(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let id = try await api.declare()
            let detail = try await api.write("/api/v1/incidents/\(id)/close").expectProblem(.conflict, field: "status")
            #expect(detail.contains("from triggered it can move to acknowledged, investigating, identified, monitoring, resolved"))
            _ = try await api.write("/api/v1/incidents/\(id)/acknowledge")
            try await api.write("/api/v1/incidents/\(id)/acknowledge").expectProblem(.conflict)
            try await api.write("/api/v1/incidents/\(id)/reopen", #"{"reason":"x"}"#).expectProblem(.conflict)
            try await api.write("/api/v1/incidents/\(id)/severity", #"{"severity":"P1","reason":"same"}"#).expectProblem(
                .conflict, field: "severity")
            _ = try await api.write("/api/v1/incidents/\(id)/resolve", #"{"force":"Not what this test checks"}"#)
            api.clock.advance(by: 3_601)
            let late = try await api.write("/api/v1/incidents/\(id)/reopen", #"{"reason":"back"}"#).expectProblem(.conflict)
            #expect(late.contains("reopen window of 1h has passed"))
        }
    }

    @Test("bad bodies name the field", arguments: TestBackend.all)
    func badBodies(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let id = try await api.declare()
            let cases: [(String, String, String?)] = [
                ("/api/v1/incidents", "{not json", nil),
                ("/api/v1/incidents", "[1,2]", nil),
                ("/api/v1/incidents", #"{"severity":"P1"}"#, "title"),
                ("/api/v1/incidents", #"{"title":5,"severity":"P1"}"#, "title"),
                ("/api/v1/incidents", #"{"title":"x","severity":"P7"}"#, "severity"),
                ("/api/v1/incidents", #"{"title":"x"}"#, "severity"),
                ("/api/v1/incidents", #"{"title":"x","severity":"P1","services":["ghost"]}"#, "services"),
                ("/api/v1/incidents", #"{"title":"x","severity":"P1","services":["No Way"]}"#, "services"),
                ("/api/v1/incidents", #"{"title":"x","severity":"P1","impactStartedAt":"yesterday"}"#, "impactStartedAt"),
                (
                    "/api/v1/incidents",
                    #"{"title":"x","severity":"P1","impact":{"userImpact":"everyone","customerFacing":true,"dataLoss":false,"security":false}}"#,
                    "impact.userImpact"
                ),
                ("/api/v1/incidents", #"{"title":"x","severity":"P1","impact":{"dataLoss":"yes"}}"#, "impact.dataLoss"),
                ("/api/v1/incidents/\(id)/status", #"{"status":"fixed"}"#, "status"),
                ("/api/v1/incidents/\(id)/status", "", nil),
                ("/api/v1/incidents/\(id)/severity", #"{"severity":"P2"}"#, "reason"),
                ("/api/v1/incidents/\(id)/roles", #"{"role":"captain","assignee":"bob"}"#, "role"),
                ("/api/v1/incidents/\(id)/roles", #"{"role":"scribe","assignee":"  "}"#, "assignee"),
                ("/api/v1/incidents/\(id)/timeline", #"{"kind":"declared","text":"x"}"#, "kind"),
                ("/api/v1/incidents/\(id)/timeline", #"{"kind":"note","text":""}"#, "text"),
                ("/api/v1/incidents/\(id)/timeline", #"{"kind":"note","text":"x","result":"succeeded"}"#, "result"),
                ("/api/v1/incidents/\(id)/reopen", "{}", "reason"),
                ("/api/v1/services", #"{"id":"-bad","name":"x"}"#, "id"),
                ("/api/v1/services", #"{"id":"ok","name":"x","runbookURL":"ftp://x"}"#, "runbookURL"),
            ]
            for (path, body, field) in cases {
                let reply = try await api.write(path, body)
                reply.expectProblem(.badRequest, field: field)
            }
            let enumDetail = try await api.write("/api/v1/incidents/\(id)/status", #"{"status":"fixed"}"#).object["detail"] as? String
            #expect(
                enumDetail
                    == "'status' is 'fixed', which is not one of: triggered, acknowledged, investigating, identified, monitoring, resolved, closed."
            )
            // The incident is untouched by all of that.
            let incident = try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).object["timeline"] as? [[String: Any]]
            #expect(incident?.compactMap { $0["kind"] as? String } == ["declared", "page"])
        }
    }

    @Test("oversized bodies get 413 and nothing is stored", arguments: TestBackend.all)
    func oversized(backend: TestBackend) async throws {
        try await APIHarness.run(backend, maxBodyBytes: 2_048) { api in
            let big = #"{"title":"x","severity":"P1","summary":""# + String(repeating: "a", count: 4_000) + #""}"#
            try await api.write("/api/v1/incidents", big).expectProblem(.contentTooLarge)
            let list = try await api.send(.get, "/api/v1/incidents", token: api.viewer).object
            #expect(list["total"] as? Int == 0)
        }
    }

    @Test("bad query parameters are 400 naming the parameter", arguments: TestBackend.all)
    func badQueries(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            for (query, field) in [
                ("status=fixed", "status"), ("severity=P9", "severity"), ("service=Bad%20Name", "service"),
                ("since=yesterday", "since"), ("limit=0", "limit"), ("limit=201", "limit"), ("offset=-1", "offset"),
                ("limit=abc", "limit"), ("since=2026-11-19T00:00:00Z&until=2026-11-18T00:00:00Z", "until"),
            ] {
                try await api.send(.get, "/api/v1/incidents?\(query)", token: api.viewer).expectProblem(.badRequest, field: field)
            }
            try await api.send(.get, "/api/v1/severities/propose?userImpact=all", token: api.viewer).expectProblem(
                .badRequest, field: "businessImpact")
            try await api.send(.get, "/api/v1/silences?expired=1", token: api.viewer).expectProblem(.badRequest, field: "expired")
            try await api.send(.get, "/api/v1/alerts?service=Bad%20Name", token: api.viewer).expectProblem(.badRequest, field: "service")
            try await api.send(.get, "/api/v1/alerts?status=open", token: api.viewer).expectProblem(.badRequest, field: "status")
            #expect(try await api.send(.get, "/api/v1/silences?expired=false", token: api.viewer).status == .ok)
        }
    }

    @Test("a database away and a transaction lost to another's both answer 503, each in its own words")
    func storeFailuresAre503() {
        // when
        let away = ProblemMiddleware<MusterRequestContext>.problem(for: StoreError.unavailable("no connection"))
        let lost = ProblemMiddleware<MusterRequestContext>.problem(for: StoreError.contention("deadlock detected"))
        // then
        #expect(away.status == .serviceUnavailable && away.type == "urn:muster:problem:unavailable")
        #expect(lost.status == .serviceUnavailable && lost.type == "urn:muster:problem:contention")
        #expect(lost.detail.contains("try again"))
    }

    @Test("HEAD is answered wherever GET is; a known path asked with another method answers 405 with Allow")
    func methods() async throws {
        try await APIHarness.run(.sqlite) { api in
            // when / then
            #expect(try await api.send(.head, "/healthz").status == .ok)
            #expect(try await api.send(.head, "/api/v1/incidents", token: api.viewer).status == .ok)
            let wrong = try await api.send(.delete, "/api/v1/incidents", token: api.responder)
            wrong.expectProblem(.methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET, HEAD, POST")
            let health = try await api.send(.put, "/healthz")
            health.expectProblem(.methodNotAllowed)
            #expect(health.headers[.allow] == "GET, HEAD")
            try await api.send(.get, "/no/such/route").expectProblem(.notFound)
        }
    }
}
