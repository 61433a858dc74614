import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Your own account")
struct AccountPageTests {
    @Test(
        "a viewer changes her own details and password; a wrong current password or a typo is named beside its field",
        arguments: PageTestBackends.pages)
    func account(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given vic, a viewer with a password, signed in
            let old = "the old long passphrase"
            _ = try await PageSession.signIn(api, "vic", role: .viewer)
            try await api.store.setPassword(user: "vic", hash: try Passwords.hash(old), at: api.clock.now)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            let page = try await vic.get("/account")
            #expect(page.status == .ok && page.text.contains(#"href="/account""#) && page.text.contains("<strong>vic</strong>, a viewer"))
            // when she gives a time zone that does not exist, then saves good details
            let badZone = try await vic.post("/account", [("name", "Vic Ray"), ("email", "vic@example.com"), ("timeZone", "Mars/Olympus")])
            let saved = try await vic.post(
                "/account", [("name", "Vic Ray"), ("email", "vic.ray@example.com"), ("timeZone", "Europe/Berlin")])
            // then the first is named beside the time zone, the second kept and audited
            #expect(badZone.status == .badRequest && badZone.text.contains(#"id="account-zone-error""#), "\(badZone.status)")
            #expect(badZone.text.contains(#"value="Mars/Olympus""#))
            #expect(saved.status == .seeOther && saved.headers[.location] == "/account?done=details")
            let user = try #require(try await api.store.user("vic"))
            #expect(user.name == "Vic Ray" && user.email == "vic.ray@example.com" && user.timeZone == "Europe/Berlin")
            // when she changes her password with a wrong current one, with two new ones that differ, then rightly
            let wrong = try await vic.post(
                "/account/password",
                [("current", "not my password"), ("password", "a new long passphrase"), ("again", "a new long passphrase")])
            let differ = try await vic.post(
                "/account/password",
                [("current", old), ("password", "a new long passphrase"), ("again", "a new long passfrase")])
            let changed = try await vic.post(
                "/account/password",
                [("current", old), ("password", "a new long passphrase"), ("again", "a new long passphrase")])
            // then each mistake is named beside its field; the change keeps her signed in with a new session
            #expect(wrong.status == .badRequest && wrong.text.contains(#"id="account-current-error""#))
            #expect(differ.status == .badRequest && differ.text.contains(#"id="account-again-error""#))
            #expect(changed.status == .seeOther && changed.headers[.location] == "/account?done=password", "\(changed.text)")
            let cookie = try #require(changed.headers[values: .setCookie].first { $0.hasPrefix("muster_session=") })
            #expect(!cookie.contains("Max-Age=0"))
            let hash = try #require(try await api.store.passwordHash(user: "vic"))
            #expect(Passwords.verify("a new long passphrase", hash: hash))
            let audit = try await api.store.auditEvents(AuditQuery(kind: "user", actor: "vic")).items.map(\.action)
            #expect(Set(audit) == ["POST /account", "POST /account/password"], "\(audit)")
        }
    }
}
