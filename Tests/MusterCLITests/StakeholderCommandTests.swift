import Foundation
import MusterTestSupport
import Testing

/// `muster stakeholders` against a `muster serve` process that mails through a real SMTP server.
@Suite("CLI stakeholder groups", .serialized, .enabled(if: SMTPSink.available))
struct StakeholderCommandTests {
    @Test("a group made from the shell hears of a declared incident by mail; it is listed, changed and deleted")
    func groupHearsDeclaration() async throws {
        // given a server mailing through the sink, and a service
        let sink = try await SMTPSink.start()
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "oncall")
        let smtp = "smtp://127.0.0.1:\(sink.port)?from=muster@example.com&starttls=required&ca_file=\(sink.certificate)"
        let server = try await ServerProcess(database: database.url, environment: ["MUSTER_SMTP_URL": smtp])
        defer { _ = server.stop() }
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
        }
        _ = try await muster("service", "create", "checkout")

        // when leadership is made to hear a summary of checkout's P2s and worse
        let created = try await muster(
            "stakeholders", "create", "leadership", "--name", "Leadership", "--mode", "summary", "--member", "email:ceo@example.com",
            "--service", "checkout", "--min-severity", "P2")
        let declared = try await muster("incident", "declare", "--title", "Card payments fail", "--severity", "P1", "--service", "checkout")
        let reference = try #require(declared.stdout.split(separator: " ").dropFirst().first.map(String.init))

        // then it was made, and its mail with the announcement arrives
        #expect(created.status == 0 && created.stdout.contains("leadership (summary): checkout, P2 or worse"), "\(created.stderr)")
        try await waitUntil("the announcement mail", seconds: 20) { try !sink.messages().isEmpty }
        let mail = try #require(try sink.messages().first)
        #expect(mail.contains("X-Envelope-To: ceo@example.com"))
        let subject = "[P1] \(reference) declared: Card payments fail"
        #expect(mail.contains("Subject: =?utf-8?B?\(Data(subject.utf8).base64EncodedString())?="), "\(mail)")

        // when it is listed, changed, given a bad member, and deleted
        let list = try await muster("stakeholders", "list")
        let changed = try await muster("stakeholders", "update", "leadership", "--mode", "updates", "--all-services")
        let bad = try await muster("stakeholders", "update", "leadership", "--member", "pager:123")
        let deleted = try await muster("stakeholders", "delete", "leadership", "--yes")
        let after = try await muster("stakeholders", "list")

        // then each says what it did, and the mistake is named
        #expect(list.stdout.contains("leadership") && list.stdout.contains("email:ceo@example.com"), "\(list.stdout)")
        #expect(changed.status == 0 && changed.stdout.contains("leadership (updates): every service, P2 or worse"), "\(changed.stderr)")
        #expect(bad.status != 0 && bad.stderr.contains("--member 'pager:123' must be email:ADDRESS"), "\(bad.stderr)")
        #expect(deleted.status == 0 && deleted.stdout.contains("Deleted stakeholder group leadership."), "\(deleted.stderr)")
        #expect(!after.stdout.contains("leadership"))
    }
}
