import Foundation
import MusterCore
import MusterTestSupport
import Testing

@Suite("Editing and removing what Muster keeps")
struct EditingAPITests {
    @Test("a service's name, description and runbook can be changed; its id cannot", arguments: TestBackend.all)
    func editService(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web","runbookURL":"https://runbooks.example.com/web"}"#)
            // when
            let renamed = try await api.write(.patch, "/api/v1/services/web", #"{"name":"Storefront","description":"The shop"}"#)
            let unlinked = try await api.write(.patch, "/api/v1/services/web", #"{"runbookURL":""}"#)
            // then
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.object["name"] as? String == "Storefront")
            #expect(renamed.object["runbookURL"] as? String == "https://runbooks.example.com/web")
            #expect(unlinked.object["runbookURL"] == nil)
            let shown = try await api.send(.get, "/api/v1/services/web", token: api.viewer).object
            #expect(shown["description"] as? String == "The shop")
            try await api.write(.patch, "/api/v1/services/web", #"{"id":"shop"}"#).expectProblem(.badRequest, field: "id")
            try await api.write(.patch, "/api/v1/services/web", #"{"runbookURL":"ftp://x"}"#).expectProblem(
                .badRequest, field: "runbookURL")
            let grouped = try await api.write(
                .patch, "/api/v1/services/web", #"{"alertPolicy":{"groupBy":["cluster"],"groupWindowSeconds":3600,"autoResolve":true}}"#)
            #expect((grouped.object["alertPolicy"] as? [String: Any])?["autoResolve"] as? Bool == true, "\(grouped.text)")
            #expect(grouped.object["name"] as? String == "Storefront")
            try await api.write(.patch, "/api/v1/services/web", #"{"alertPolicy":{"groupBy":[],"groupWindowSeconds":5,"autoResolve":false}}"#)
                .expectProblem(.badRequest, field: "alertPolicy.groupWindowSeconds")
            try await api.write(.patch, "/api/v1/services/nope", #"{"name":"x"}"#).expectProblem(.notFound)
            try await api.send(.patch, "/api/v1/services/web", token: api.viewer, body: #"{"name":"x"}"#).expectProblem(.forbidden)
        }
    }

    @Test("a service is deleted only when nothing refers to it; the conflict names what does", arguments: TestBackend.all)
    func deleteService(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an unused service and one an incident and an integration refer to
            _ = try await api.write("/api/v1/services", #"{"id":"spare","name":"Spare"}"#)
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let reference = try await api.declare(#"{"title":"Web down","severity":"P2","services":["web"]}"#)
            _ = try await api.write("/api/v1/services/web/integrations", #"{"kind":"generic","name":"prometheus"}"#)
            // when
            let deleted = try await api.write(.delete, "/api/v1/services/spare")
            let refused = try await api.write(.delete, "/api/v1/services/web")
            // then
            #expect(deleted.status == .noContent)
            try await api.send(.get, "/api/v1/services/spare", token: api.viewer).expectProblem(.notFound)
            let detail = refused.expectProblem(.conflict)
            #expect(detail.contains("1 incident (\(reference))"), "\(detail)")
            #expect(detail.contains("1 integration (prometheus)"), "\(detail)")
            #expect(try await api.send(.get, "/api/v1/services/web", token: api.viewer).status == .ok)
            try await api.write(.delete, "/api/v1/services/spare").expectProblem(.notFound)
        }
    }

    @Test("a silence can be extended or shortened until it ends, never into the past", arguments: TestBackend.all)
    func rescheduleSilence(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a silence of one hour
            let created = try await api.write("/api/v1/silences", #"{"matchers":["env=staging"],"duration":"1h","comment":"upgrade"}"#)
            let id = try #require(created.object["id"] as? String, "\(created.text)")
            let now = api.clock.now
            // when it is extended to three hours from now, then shortened to thirty minutes
            let extended = try await api.write(.patch, "/api/v1/silences/\(id)", #"{"duration":"3h"}"#)
            let shortened = try await api.write(.patch, "/api/v1/silences/\(id)", #"{"endsAt":"\#(RFC3339.format(now + 1_800))"}"#)
            // then
            #expect(extended.object["endsAt"] as? String == RFC3339.format(now + 10_800), "\(extended.text)")
            #expect(shortened.object["endsAt"] as? String == RFC3339.format(now + 1_800))
            try await api.write(.patch, "/api/v1/silences/\(id)", #"{"endsAt":"\#(RFC3339.format(now - 60))"}"#)
                .expectProblem(.badRequest, field: "endsAt")
            try await api.write(.patch, "/api/v1/silences/\(id)", #"{"duration":"90"}"#).expectProblem(.badRequest, field: "duration")
            try await api.write(.patch, "/api/v1/silences/\(id)", #"{"duration":"1h","endsAt":"\#(RFC3339.format(now + 60))"}"#)
                .expectProblem(.badRequest)
            // and once it has ended it stays ended
            api.clock.advance(by: 3_600)
            let ended = try await api.write(.patch, "/api/v1/silences/\(id)", #"{"duration":"1h"}"#).expectProblem(
                .badRequest, field: "endsAt")
            #expect(ended.contains("create a new one"))
        }
    }

    @Test("people have a role; only an admin makes an admin or changes a role", arguments: TestBackend.all)
    func roles(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given / when / then: a responder adds a responder and a viewer, but not an admin
            let ann = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#)
            #expect(ann.object["role"] as? String == "responder")
            let vic = try await api.write("/api/v1/users", #"{"id":"vic","name":"Vic","email":"vic@example.com","role":"viewer"}"#)
            #expect(vic.object["role"] as? String == "viewer")
            let refused = try await api.write("/api/v1/users", #"{"id":"eve","name":"Eve","email":"eve@example.com","role":"admin"}"#)
                .expectProblem(.forbidden)
            #expect(refused.contains("Only the admin role may make an admin"))
            try await api.write(.patch, "/api/v1/users/ann", #"{"role":"admin"}"#).expectProblem(.forbidden)
            try await api.write(.patch, "/api/v1/users/ann", #"{"role":"boss"}"#).expectProblem(.badRequest, field: "role")
            // and an admin may
            let promoted = try await api.send(.patch, "/api/v1/users/ann", token: api.admin, body: #"{"role":"admin"}"#)
            #expect(promoted.status == .ok && promoted.object["role"] as? String == "admin")
            let made = try await api.send(
                .post, "/api/v1/users", token: api.admin, body: #"{"id":"eve","name":"Eve","email":"eve@example.com","role":"admin"}"#)
            #expect(made.status == .created)
        }
    }

    @Test("contact methods can be changed and removed, never doubled", arguments: TestBackend.all)
    func contactMethods(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann with her email and a webhook
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#)
            let added = try await api.write(
                "/api/v1/users/ann/contact-methods", #"{"kind":"webhook","address":"https://hooks.example.com/a"}"#)
            let methods = try #require(added.object["contactMethods"] as? [[String: Any]])
            let hook = try #require(methods.last?["id"] as? String)
            // when the same webhook is added again, then it is refused
            let twice = try await api.write(
                "/api/v1/users/ann/contact-methods", #"{"kind":"webhook","address":"https://HOOKS.example.com/a"}"#)
            #expect(twice.expectProblem(.conflict).contains("page twice"))
            // when the webhook moves to a new address
            let moved = try await api.write(
                .patch, "/api/v1/users/ann/contact-methods/\(hook)", #"{"address":"https://hooks.example.com/b"}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect((moved.object["contactMethods"] as? [[String: Any]])?.last?["address"] as? String == "https://hooks.example.com/b")
            try await api.write(.patch, "/api/v1/users/ann/contact-methods/\(hook)", #"{"address":"not a url"}"#)
                .expectProblem(.badRequest, field: "address")
            // and a viewer sees the webhook's URL masked, which is a credential, but the email address plainly
            for path in ["/api/v1/users/ann", "/api/v1/users"] {
                let seen = try await api.send(.get, path, token: api.viewer)
                #expect(!seen.text.contains("hooks.example.com/b") && seen.text.contains("https://hooks.example.com/…"), "\(seen.text)")
                #expect(seen.text.contains("ann@example.com"))
            }
            let responderSees = try await api.send(.get, "/api/v1/users/ann", token: api.responder)
            #expect(responderSees.text.contains("https://hooks.example.com/b"))
            // when it is removed, then only the email is left, and removing it again is not found
            let removed = try await api.write(.delete, "/api/v1/users/ann/contact-methods/\(hook)")
            #expect((removed.object["contactMethods"] as? [[String: Any]])?.count == 1)
            try await api.write(.delete, "/api/v1/users/ann/contact-methods/\(hook)").expectProblem(.notFound)
        }
    }

    @Test("an email address with a line break, or in a form no mail server takes, is refused when stored", arguments: [TestBackend.sqlite])
    func emailInjection(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given / when
            let injected = try await api.write(
                "/api/v1/users", #"{"id":"eve","name":"Eve","email":"eve@example.com\r\nBcc: all@example.com"}"#)
            let bracketed = try await api.write("/api/v1/users", #"{"id":"eve","name":"Eve","email":"<eve@example.com>"}"#)
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#)
            let contact = try await api.write(
                "/api/v1/users/ann/contact-methods", #"{"kind":"email","address":"ann@example.com\nRCPT TO:<x@example.com>"}"#)
            // then each is refused, naming the field, and no line break is echoed back
            for reply in [injected, bracketed, contact] {
                let detail = reply.expectProblem(.badRequest, field: "address")
                #expect(!detail.contains("\n") && !detail.contains("\r"))
            }
            try await api.send(.get, "/api/v1/users/eve", token: api.viewer).expectProblem(.notFound)
        }
    }
}
