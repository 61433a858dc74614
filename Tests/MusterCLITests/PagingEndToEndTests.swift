import Foundation
import Hummingbird
import HummingbirdTesting
import MusterTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A page as a loopback webhook receiver got it.
struct ReceivedPage: Sendable {
    var level: Int
    var user: String
    var reference: String
    var acknowledgeURL: String
}

/// What a loopback webhook receiver got.
actor WebhookLog {
    private(set) var pages: [ReceivedPage] = []
    func add(_ page: ReceivedPage) { pages.append(page) }
    var levels: [Int] { pages.map(\.level) }
}

/// `muster serve` with a real SMTP server and a webhook receiver on loopback.
@Suite("Paging end to end", .serialized, .enabled(if: SMTPSink.available))
struct PagingEndToEndTests {
    @Test("email and webhook pages arrive at their levels, and the acknowledge link stops the escalation")
    func pagesThenAcknowledges() async throws {
        let sink = try await SMTPSink.start()
        let log = WebhookLog()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            if let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] {
                await log.add(
                    ReceivedPage(
                        level: json["level"] as? Int ?? 0, user: json["user"] as? String ?? "",
                        reference: (json["incident"] as? [String: Any])?["reference"] as? String ?? "",
                        acknowledgeURL: json["acknowledgeURL"] as? String ?? ""))
            }
            return .ok
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            // given: ann paged by email at level 1, bob by webhook (and email) at level 2, cy at level 3
            let database = try await TestBackend(kind: .sqlite).makeDatabase()
            defer { Task { await database.remove() } }
            let token = try await MusterProcess.responderToken(database: database.url)
            let smtp = "smtp://127.0.0.1:\(sink.port)?from=muster@example.com&starttls=required&ca_file=\(sink.certificate)"
            let server = try await ServerProcess(
                database: database.url,
                environment: [
                    "MUSTER_SMTP_URL": smtp, "MUSTER_SIGNING_KEY": "end-to-end-signing-key-0123456789abcdef",
                ])
            defer { _ = server.stop() }
            func muster(_ arguments: String...) async throws -> MusterProcess.Result {
                let result = try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
                #expect(result.status == 0, "muster \(arguments.joined(separator: " ")): \(result.stderr)")
                return result
            }
            for person in ["ann", "bob", "cy"] {
                _ = try await muster("user", "create", person, "--name", person.capitalized, "--email", "\(person)@example.com")
            }
            _ = try await muster("user", "contact", "bob", "--kind", "webhook", "--address", "http://127.0.0.1:\(client.port!)/hook")
            _ = try await muster(
                "policy", "create", "web", "--name", "Web", "--level", "user:ann@10s", "--level", "user:bob@20s", "--level", "user:cy@10s")
            _ = try await muster("service", "create", "web")
            _ = try await muster("policy", "assign", "web", "web")

            // when: an incident opens
            let declared = try await muster("incident", "declare", "--title", "Checkout down", "--severity", "P1", "--service", "web")
            let reference = try #require(declared.stdout.split(separator: " ").dropFirst().first.map(String.init))
            // The CLI says who was paged in the declaring transaction.
            #expect(declared.stdout.contains("Paged ann (email)."), "\(declared.stdout)")

            // then: ann's email (level 1), and after the delay bob's webhook at level 2 with an
            // acknowledge link, and his email. (A busy machine may retry a delivery: wait long enough.)
            try await waitUntil("ann's email", seconds: 40) {
                (try? sink.messages().contains { $0.contains("X-Envelope-To: ann@example.com") }) == true
            }
            try await waitUntil("bob's webhook", seconds: 40) { await log.levels.contains(2) }
            let page = try #require(await log.pages.first)
            #expect(page.level == 2)
            #expect(page.reference == reference)
            #expect(page.user == "bob")

            // when: bob acknowledges through the link, which names this server (its port chosen at start)
            #expect(page.acknowledgeURL.hasPrefix("\(server.url)/ack/"))
            let ackURL = try #require(URL(string: page.acknowledgeURL))
            var request = URLRequest(url: ackURL)
            request.httpMethod = "POST"
            let (body, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: body, as: UTF8.self).contains("acknowledged by bob"))

            // then: when level 3 comes due the engine ends the escalation instead of paging cy
            try await waitUntil("bob's email", seconds: 40) {
                (try? sink.messages().contains { $0.contains("X-Envelope-To: bob@example.com") }) == true
            }
            let escalationURL = try #require(URL(string: "\(server.url)/api/v1/incidents/\(reference)/escalation"))
            try await waitUntil("the end of the escalation", seconds: 40) {
                var request = URLRequest(url: escalationURL)
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                guard let (data, _) = try? await URLSession.shared.data(for: request),
                    let escalation = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    escalation["policy"] != nil
                else { return false }
                return escalation["dueAt"] == nil || escalation["dueAt"] is NSNull
            }
            try await Task.sleep(for: .seconds(1))
            #expect(try sink.messages().allSatisfy { !$0.contains("X-Envelope-To: cy@example.com") })
            #expect(await log.levels == [2])
            let shown = try await muster("incident", "show", reference, "--json")
            let incident = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            let status = (incident?["incident"] as? [String: Any])?["status"] as? String ?? incident?["status"] as? String
            #expect(status == "acknowledged")
        }
    }
}
