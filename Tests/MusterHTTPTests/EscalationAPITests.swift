import Foundation
import MusterTestSupport
import Testing

@Suite("Escalation API and acknowledge links")
struct EscalationAPITests {
    /// Ann with a webhook, a one-level policy on service `web`, and a P1 incident on it, paged once.
    func pagedIncident(_ api: APIHarness) async throws -> (String, String) {
        #expect(try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#).status == .created)
        #expect(
            try await api.write("/api/v1/users/ann/contact-methods", #"{"kind":"webhook","address":"http://127.0.0.1:9/hook"}"#).status
                == .created)
        let policy = try await api.write(
            "/api/v1/escalation-policies",
            #"{"id":"web","name":"Web","repeats":1,"levels":[{"targets":[{"type":"user","id":"ann"}],"delayMinutes":5}]}"#)
        #expect(policy.status == .created, "\(policy.text)")
        #expect(try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#).status == .created)
        #expect(try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"web"}"#).status == .ok)
        let id = try await api.declare(#"{"title":"Web down","severity":"P1","services":["web"]}"#)
        // Level 1 was paged in the transaction that opened the incident: the engine has nothing due yet.
        #expect(try await api.store.runDueEscalations(at: api.clock.now, limit: 10) == 0)
        let pages = try await api.send(.get, "/api/v1/incidents/\(id)/pages", token: api.viewer).array
        let page = try #require(pages.first?["id"] as? String)
        return (id, page)
    }

    @Test("policies validate their targets; the incident shows its escalation and pages", arguments: TestBackend.all)
    func policies(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let (id, _) = try await pagedIncident(api)
            let escalation = try await api.send(.get, "/api/v1/incidents/\(id)/escalation", token: api.viewer).object
            #expect((escalation["policy"] as? [String: Any])?["id"] as? String == "web")
            #expect(escalation["round"] as? Int == 1)
            // a viewer sees where pages went with the webhook URL masked; a responder sees it whole
            let seen = try await api.send(.get, "/api/v1/incidents/\(id)/pages", token: api.viewer).text
            #expect(seen.contains("http://127.0.0.1/…") && !seen.contains("127.0.0.1:9/hook"), "\(seen)")
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)/pages", token: api.responder).text.contains("127.0.0.1:9/hook"))
            try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"bad","name":"Bad","levels":[{"targets":[{"type":"user","id":"ghost"}],"delayMinutes":5}]}"#
            ).expectProblem(.badRequest, field: "levels.targets")
            try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"bad","name":"Bad","levels":[{"targets":[{"type":"team","id":"x"}],"delayMinutes":5}]}"#
            ).expectProblem(.badRequest)
            try await api.write("/api/v1/escalation-policies", #"{"id":"bad","name":"Bad","levels":[]}"#).expectProblem(
                .badRequest, field: "levels")
            try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"nope"}"#).expectProblem(
                .badRequest, field: "escalationPolicy")
            let manual = try await api.declare()
            try await api.send(.get, "/api/v1/incidents/\(manual)/escalation", token: api.viewer).expectProblem(.notFound)
        }
    }

    @Test("the signed link acknowledges once, by the paged person; forged or expired links are refused", arguments: TestBackend.all)
    func acknowledgeLink(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let (id, page) = try await pagedIncident(api)
            let link = try #require(URL(string: api.env.ackLinks.url(for: UUID(uuidString: page)!, at: api.clock.now)))
            let path = link.path + "?" + (link.query ?? "")
            // GET only shows the button.
            let shown = try await api.send(.get, path)
            #expect(shown.status == .ok)
            #expect(shown.text.contains("Acknowledge as ann"))
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).text.contains(#""status":"triggered""#))
            // POST acknowledges.
            let acked = try await api.send(.post, path)
            #expect(acked.status == .ok)
            #expect(acked.text.contains("acknowledged by ann"))
            let incident = try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).object["incident"] as? [String: Any]
            #expect(incident?["status"] as? String == "acknowledged")
            #expect(try await api.send(.post, path).status == .conflict)
            // The escalation stops at its next due time.
            api.clock.advance(by: 600)
            #expect(try await api.store.runDueEscalations(at: api.clock.now, limit: 10) == 0)
            // Forged and expired links.
            let forged = path.replacingOccurrences(of: "sig=", with: "sig=0")
            try await api.send(.post, forged).expectProblem(.forbidden)
            api.clock.advance(by: 25 * 3_600)
            try await api.send(.get, path).expectProblem(.forbidden)
        }
    }
}

@Suite("Acknowledgement timeout and manual escalation")
struct AckTimeoutTests {
    @Test("an acknowledgement with a timeout lapses and paging starts over; escalating by hand pages at once", arguments: TestBackend.all)
    func timeout(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let (id, _) = try await EscalationAPITests().pagedIncident(api)
            // when: acknowledged for 10 minutes, then nobody moves it on
            #expect(try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"timeoutMinutes":10}"#).status == .ok)
            api.clock.advance(by: 599)
            #expect(try await api.store.runDueEscalations(at: api.clock.now, limit: 10) == 0)
            api.clock.advance(by: 1)
            #expect(try await api.store.runDueEscalations(at: api.clock.now, limit: 10) == 1)
            // then
            let detail = try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).object
            #expect((detail["incident"] as? [String: Any])?["status"] as? String == "triggered")
            let texts = (detail["timeline"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
            #expect(texts.contains("Acknowledgement timed out: the incident is triggered again and paging starts over"))
            // Ann has two contact methods (her email and a webhook), so each page is two deliveries.
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)/pages", token: api.viewer).array.count == 4)
            // Escalating by hand pages the next level even once acknowledged.
            _ = try await api.write("/api/v1/incidents/\(id)/acknowledge")
            #expect(try await api.write("/api/v1/incidents/\(id)/escalate").status == .ok)
            #expect(try await api.store.runDueEscalations(at: api.clock.now, limit: 10) == 1)
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)/pages", token: api.viewer).array.count == 6)
            try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"timeoutMinutes":0}"#).expectProblem(
                .badRequest, field: "timeoutMinutes")
            let manual = try await api.declare()
            try await api.write("/api/v1/incidents/\(manual)/escalate").expectProblem(.badRequest, field: "escalation")
        }
    }

    @Test("reassigning hands the incident to a person or a policy, with clear errors", arguments: TestBackend.all)
    func reassign(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given: ann paged and acknowledged; bob exists
            let (id, _) = try await EscalationAPITests().pagedIncident(api)
            #expect(try await api.write("/api/v1/users", #"{"id":"bob","name":"Bob","email":"bob@example.com"}"#).status == .created)
            _ = try await api.write("/api/v1/incidents/\(id)/acknowledge")
            // when
            let reply = try await api.write("/api/v1/incidents/\(id)/reassign", #"{"users":["bob"],"note":"Bob owns the cache"}"#)
            // then
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.object["status"] as? String == "triggered")
            let escalation = try await api.send(.get, "/api/v1/incidents/\(id)/escalation", token: api.viewer).object
            #expect((escalation["policy"] as? [String: Any])?["name"] as? String == "Reassigned to user bob")
            #expect(try await api.store.runDueEscalations(at: api.clock.now, limit: 10) == 1)
            let pages = try await api.send(.get, "/api/v1/incidents/\(id)/pages", token: api.viewer).array
            #expect(pages.compactMap { $0["user"] as? String }.filter { $0 == "bob" }.count == 1)
            // A policy instead of people walks that policy from its first level.
            #expect(try await api.write("/api/v1/incidents/\(id)/reassign", #"{"policy":"web"}"#).status == .ok)
            let walked = try await api.send(.get, "/api/v1/incidents/\(id)/escalation", token: api.viewer).object
            #expect((walked["policy"] as? [String: Any])?["id"] as? String == "web")
            // Bad requests name the problem.
            try await api.write("/api/v1/incidents/\(id)/reassign", #"{}"#).expectProblem(.badRequest, field: "users")
            try await api.write("/api/v1/incidents/\(id)/reassign", #"{"users":["bob"],"policy":"web"}"#).expectProblem(
                .badRequest, field: "policy")
            try await api.write("/api/v1/incidents/\(id)/reassign", #"{"users":["ghost"]}"#).expectProblem(.badRequest, field: "users")
            try await api.write("/api/v1/incidents/\(id)/reassign", #"{"schedules":["ghost"]}"#).expectProblem(
                .badRequest, field: "schedules")
            try await api.write("/api/v1/incidents/\(id)/reassign", #"{"policy":"ghost"}"#).expectProblem(.badRequest, field: "policy")
            try await api.write("/api/v1/incidents/INC-2026-9999/reassign", #"{"users":["bob"]}"#).expectProblem(.notFound)
            _ = try await api.write("/api/v1/incidents/\(id)/resolve", #"{"force":"Not what this test checks"}"#)
            try await api.write("/api/v1/incidents/\(id)/reassign", #"{"users":["bob"]}"#).expectProblem(.conflict)
            try await api.send(.post, "/api/v1/incidents/\(id)/reassign", token: api.viewer, body: #"{"users":["bob"]}"#).expectProblem(
                .forbidden)
        }
    }

    @Test(
        "assigning a policy with pageOpen pages the service's open, unpaged incidents in the same transaction", arguments: TestBackend.all)
    func pageOpen(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given two triggered incidents and an acknowledged one on a service without a policy
            #expect(try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#).status == .created)
            _ = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"web","name":"Web","levels":[{"targets":[{"type":"user","id":"ann"}],"delayMinutes":5}]}"#)
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let first = try await api.declare(#"{"title":"Web down","severity":"P1","services":["web"]}"#)
            let second = try await api.declare(#"{"title":"Web slow","severity":"P2","services":["web"]}"#)
            let taken = try await api.declare(#"{"title":"Web odd","severity":"P2","services":["web"]}"#)
            _ = try await api.write("/api/v1/incidents/\(taken)/acknowledge")
            // when the policy is assigned with pageOpen
            let reply = try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"web","pageOpen":true}"#)
            // then the two triggered incidents are paged now, and the acknowledged one is left alone
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.object["paged"] as? [String] == [first, second])
            #expect(reply.object["escalationPolicy"] as? String == "web")
            for reference in [first, second] {
                let pages = try await api.send(.get, "/api/v1/incidents/\(reference)/pages", token: api.viewer).array
                #expect(pages.compactMap { $0["user"] as? String } == ["ann"], "\(reference)")
            }
            #expect(try await api.send(.get, "/api/v1/incidents/\(taken)/pages", token: api.viewer).array.isEmpty)
            // and assigning again pages nothing more, since their escalations now run
            let again = try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"web","pageOpen":true}"#)
            #expect(again.object["paged"] as? [String] == [])
            try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":null,"pageOpen":true}"#)
                .expectProblem(.badRequest, field: "pageOpen")
        }
    }
}
