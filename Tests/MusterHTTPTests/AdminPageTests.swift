import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The admin page")
struct AdminPageTests {
    @Test(
        "an admin adds a person, sets the password and the role, makes and revokes a token, all audited", arguments: PageTestBackends.pages)
    func adminManagesAccounts(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ada, an admin, signed in
            let ada = try await PageSession.signIn(api, "ada", role: .admin)
            #expect(try await ada.get("/admin").status == .ok)
            // when she adds ben as a viewer and sets his password
            let added = try await ada.post(
                "/admin/users", [("id", "ben"), ("name", "Ben Oak"), ("email", "ben@example.com"), ("role", "viewer")])
            #expect(added.status == .seeOther && added.headers[.location] == "/admin?done=created", "\(added.text)")
            let set = try await ada.post(
                "/admin/users/ben/password", [("password", "a long enough secret"), ("again", "a long enough secret")])
            #expect(set.status == .seeOther, "\(set.text)")
            // then ben's password is the one she typed, and his account is as she made it
            let hash = try #require(try await api.store.passwordHash(user: "ben"))
            #expect(Passwords.verify("a long enough secret", hash: hash))
            #expect(try await api.store.user("ben")?.role == .viewer)
            // when she makes him a responder
            #expect(try await ada.post("/admin/users/ben/role", [("role", "responder")]).status == .seeOther)
            #expect(try await api.store.user("ben")?.role == .responder)
            // when two passwords differ, nothing changes and the page says why beside the field
            let differ = try await ada.post(
                "/admin/users/ben/password", [("password", "another long secret"), ("again", "not the same one")])
            #expect(differ.status == .badRequest && differ.text.contains("differ"))
            #expect(!differ.text.contains("another long secret"))
            // when she makes a token, its secret is shown once; revoking it stops it
            let made = try await ada.post("/admin/tokens", [("name", "deploys"), ("role", "responder"), ("expires", "30d")])
            #expect(made.status == .created)
            let secret = try #require(made.text.firstMatch(of: /value="(mst_[^"]+)"/).map { String($0.1) }, "\(made.text)")
            #expect(try await api.send(.get, "/api/v1/incidents", token: secret).status == .ok)
            let admin = try await ada.get("/admin")
            #expect(!admin.text.contains(secret))
            let tokenID = try #require(admin.text.firstMatch(of: /\/admin\/tokens\/([0-9A-F-]+)\/revoke/).map { String($0.1) })
            let tokens = try await api.store.tokens()
            let deploys = try #require(tokens.first { $0.name == "deploys" })
            let revoke = try await ada.post("/admin/tokens/\(deploys.id.uuidString)/revoke", [])
            #expect(revoke.status == .seeOther, "\(revoke.text) \(tokenID)")
            #expect(try await api.send(.get, "/api/v1/incidents", token: secret).status == .unauthorized)
            // and each change is in the audit log with her as its actor
            let audit = try await api.store.auditEvents(AuditQuery(actor: "ada")).items
            #expect(Set(audit.map(\.kind)) == ["user", "token"] && audit.count == 5, "\(audit.map(\.action))")
        }
    }

    @Test("only admins see the page or send its forms", arguments: PageTestBackends.pages)
    func onlyAdmins(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a responder signed in
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she opens the page or sends a form
            let page = try await ann.get("/admin")
            let role = try await ann.post("/admin/users/ann/role", [("role", "admin")])
            let token = try await ann.post("/admin/tokens", [("name", "mine"), ("role", "admin"), ("expires", "")])
            // then each is refused, and she is still a responder with no new token
            #expect(page.status == .forbidden && role.status == .forbidden && token.status == .forbidden)
            #expect(try await api.store.user("ann")?.role == .responder)
            #expect(try await api.store.tokens().allSatisfy { $0.name != "mine" })
            // and the page she is shown has no admin link
            #expect(!(try await ann.get("/incidents")).text.contains(#"href="/admin""#))
        }
    }

    @Test("an admin corrects someone's details; a bad time zone is named in that person's row", arguments: PageTestBackends.pages)
    func details(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ada, an admin, and bob
            let ada = try await PageSession.signIn(api, "ada", role: .admin)
            _ = try await PageSession.signIn(api, "bob", role: .responder)
            // when she gives bob a time zone that does not exist, then good details
            let refused = try await ada.post(
                "/admin/users/bob/details", [("name", "Bob Lee"), ("email", "bob@example.com"), ("timeZone", "Nowhere/Else")])
            let saved = try await ada.post(
                "/admin/users/bob/details", [("name", "Bob Lee"), ("email", "bob.lee@example.com"), ("timeZone", "Asia/Tokyo")])
            // then the first is named in bob's row with what she typed, and the second is kept and audited
            #expect(refused.status == .badRequest && refused.text.contains(#"id="details-bob-error""#), "\(refused.status)")
            #expect(refused.text.contains(#"value="Nowhere/Else""#) && !refused.text.contains(#"id="details-ada-error""#))
            #expect(saved.status == .seeOther && saved.headers[.location] == "/admin?done=details")
            let bob = try #require(try await api.store.user("bob"))
            #expect(bob.name == "Bob Lee" && bob.email == "bob.lee@example.com" && bob.timeZone == "Asia/Tokyo")
            let audit = try await api.store.auditEvents(AuditQuery(kind: "user", actor: "ada")).items.map(\.action)
            #expect(audit.contains("POST /admin/users/{id}/details"), "\(audit)")
        }
    }
}
