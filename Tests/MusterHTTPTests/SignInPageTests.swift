import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Sign-in and the incident list page")
struct SignInPageTests {
    /// The cookies a response sets, by name, with their flags.
    func cookies(_ reply: Reply) -> [String: String] {
        var found: [String: String] = [:]
        for header in reply.headers[values: .setCookie] {
            let name = String(header.prefix { $0 != "=" })
            found[name] = header
        }
        return found
    }

    /// A browser's first visit: the sign-in page, its CSRF token and the cookie that pairs with it.
    func form(_ api: APIHarness) async throws -> (csrf: String, cookie: String) {
        let page = try await api.send(.get, "/signin")
        let csrf = try #require(page.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
        let cookie = try #require(cookies(page)["muster_signin"]?.split(separator: ";").first.map(String.init))
        return (csrf, cookie)
    }

    func signIn(_ api: APIHarness, _ username: String, _ password: String, csrf: String, cookie: String) async throws -> Reply {
        try await api.send(
            .post, "/signin",
            body:
                "csrf=\(csrf)&next=%2Fincidents&username=\(username)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie])
    }

    @Test("a person signs in with a password, sees the incidents, and signs out", arguments: TestBackend.all)
    func signInAndOut(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann with a password, and an incident
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann Lee","email":"ann@example.com"}"#)
            try await api.store.setPassword(user: "ann", hash: try Passwords.hash("correct horse battery"), at: api.clock.now)
            _ = try await api.declare(#"{"title":"Checkout is down","severity":"P1"}"#)
            // when signed out, the list sends the browser to sign in
            let away = try await api.send(.get, "/incidents")
            #expect(away.status == .seeOther && away.headers[.location] == "/signin?next=/incidents")
            // when ann signs in
            let (csrf, cookie) = try await form(api)
            let signedIn = try await signIn(api, "ann", "correct horse battery", csrf: csrf, cookie: cookie)
            // then she gets a session cookie no script can read, and goes to the list
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/incidents")
            let session = try #require(cookies(signedIn)["muster_session"])
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"))
            let sessionCookie = String(session.split(separator: ";")[0])
            let list = try await api.send(.get, "/incidents", headers: [.cookie: sessionCookie])
            #expect(list.status == .ok && list.text.contains("Checkout is down") && list.text.contains("Ann Lee (responder)"))
            #expect(list.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(list.headers[.init("X-Content-Type-Options")!] == "nosniff")
            // and the incident's own page shows it with its timeline
            let reference = try #require(list.text.firstMatch(of: /href="\/incidents\/(INC-[0-9-]+)"/).map { String($0.1) })
            let incident = try await api.send(.get, "/incidents/\(reference)", headers: [.cookie: sessionCookie])
            #expect(incident.status == .ok && incident.text.contains("<h1>Checkout is down</h1>"), "\(incident.text)")
            #expect(incident.text.contains(#"class="entry entry-"#))
            #expect(try await api.send(.get, "/incidents/INC-1999-0001", headers: [.cookie: sessionCookie]).status == .notFound)
            // when she signs out without the page's CSRF token, nothing happens; with it, the session ends
            let listCSRF = try #require(list.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            let forged = try await api.send(
                .post, "/signout", body: "csrf=forged",
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: sessionCookie])
            #expect(forged.status == .forbidden)
            let out = try await api.send(
                .post, "/signout", body: "csrf=\(listCSRF)",
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: sessionCookie])
            #expect(out.status == .seeOther && out.headers[.location] == "/signin?out=1")
            #expect(try await api.send(.get, "/incidents", headers: [.cookie: sessionCookie]).status == .seeOther)
        }
    }

    @Test("the stylesheet is cached by its ETag, which a second request names to get 304")
    func stylesheet() async throws {
        try await APIHarness.run(TestBackend.sqlite) { api in
            // given / when
            let first = try await api.send(.get, "/assets/muster.css")
            let tag = try #require(first.headers[.eTag])
            let again = try await api.send(.get, "/assets/muster.css", headers: [.ifNoneMatch: tag])
            // then
            #expect(first.status == .ok && first.headers[.contentType] == "text/css; charset=utf-8" && first.text.contains(":root"))
            #expect(again.status == .notModified && again.body.isEmpty)
            #expect(try await api.send(.get, "/assets/nothing.js").status == .notFound)
        }
    }

    @Test("wrong passwords, unknown names and forged forms are refused alike; repeated failures are slowed", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann with a password
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann Lee","email":"ann@example.com"}"#)
            try await api.store.setPassword(user: "ann", hash: try Passwords.hash("correct horse battery"), at: api.clock.now)
            let (csrf, cookie) = try await form(api)
            // when / then: a wrong password and an unknown person get the same answer, beside the field
            let wrong = try await signIn(api, "ann", "not her password", csrf: csrf, cookie: cookie)
            let unknown = try await signIn(api, "zed", "not her password", csrf: csrf, cookie: cookie)
            #expect(wrong.status == .unauthorized && wrong.text.contains("The username or the password is wrong."))
            #expect(unknown.status == .unauthorized && unknown.text.contains("The username or the password is wrong."))
            #expect(wrong.text.contains(#"aria-describedby="signin-error""#))
            // a form whose token does not match its cookie is refused
            #expect(try await signIn(api, "ann", "correct horse battery", csrf: "forged", cookie: cookie).status == .forbidden)
            // after five failures for ann, even her right password waits
            for _ in 0..<4 { _ = try await signIn(api, "ann", "wrong again", csrf: csrf, cookie: cookie) }
            let slowed = try await signIn(api, "ann", "correct horse battery", csrf: csrf, cookie: cookie)
            #expect(slowed.status == .tooManyRequests && slowed.text.contains("Too many failed sign-ins"))
            // and after a while she gets in
            api.clock.advance(by: 200)
            #expect(try await signIn(api, "ann", "correct horse battery", csrf: csrf, cookie: cookie).status == .seeOther)
        }
    }
}
