import Foundation
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Email channel", .serialized, .enabled(if: SMTPSink.available))
struct EmailChannelTests {
    let key = Data("a-signing-key-of-at-least-32-bytes!!".utf8)

    func page(to address: String, title: String = "Checkout down") throws -> Page {
        let incident = try Incident.declare(
            IncidentDeclaration(title: title, severity: "P1"), id: UUID(), number: 7, scheme: .standard, by: "ops", at: Date()
        ).0
        return Page(
            id: UUID(), incident: incident, user: "ann", contact: try ContactMethod(id: UUID(), kind: .email, address: address), level: 1,
            at: Date())
    }

    @Test("pages arrive over STARTTLS with a text part, an HTML part and the acknowledge link")
    func delivers() async throws {
        let sink = try await SMTPSink.start()
        let channel = EmailChannel(
            settings: SMTPSettings(
                host: "127.0.0.1", port: sink.port, from: "muster@example.com", startTLS: .required, caFile: sink.certificate),
            signingKey: key, publicURL: "http://muster.test")
        let page = try page(to: "ann@example.com", title: "Checkout down\r\nBcc: victim@example.com")
        // when
        let result = await channel.deliver(page, at: Date())
        // then
        #expect(result == .delivered)
        let message = try #require(try sink.messages().first)
        #expect(message.contains("X-Envelope-To: ann@example.com"))
        #expect(message.contains("X-TLS: yes"))
        #expect(message.contains("Content-Type: multipart/alternative"))
        #expect(message.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(message.contains("Content-Type: text/html; charset=utf-8"))
        #expect(!message.contains("\nBcc:"))
        let parts = message.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").dropFirst()
        let text = parts.first.map { String($0.prefix { $0 != "-" }).replacingOccurrences(of: "\r\n", with: "") }
        let decoded = text.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(decoded.contains("Acknowledge: http://muster.test/ack/\(page.id.uuidString.lowercased())?exp="))
    }

    @Test("a server whose certificate is not trusted is refused, and the failure is reported")
    func untrusted() async throws {
        let sink = try await SMTPSink.start()
        let channel = EmailChannel(
            settings: SMTPSettings(host: "127.0.0.1", port: sink.port, from: "muster@example.com", startTLS: .required),
            signingKey: key, publicURL: "http://muster.test")
        let result = await channel.deliver(try page(to: "ann@example.com"), at: Date())
        guard case .failed = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(try sink.messages().isEmpty)
    }
}

@Suite("SMTP settings")
struct SMTPSettingsTests {
    @Test("an address with a line break is refused at send time, before any connection, whatever was stored")
    func injectionAtSendTime() async throws {
        // given a client for a server nothing listens on: reaching it would fail differently
        let client = SMTPClient(settings: try #require(SMTPSettings.parse("smtp://127.0.0.1:9?from=muster@example.com")))
        // when / then
        let error = await #expect(throws: (any Error).self) {
            try await client.send("Subject: x\r\n\r\nbody", to: "ann@example.com\r\nRCPT TO:<eve@example.com>")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("not a plain email address"))
    }

    @Test("an smtp:// URL gives host, port, sender, credentials and the STARTTLS policy")
    func parse() throws {
        let settings = try #require(
            SMTPSettings.parse("smtp://pager:s%40cret@mail.example.com:587?from=muster@example.com&starttls=required&ca_file=/etc/ca.pem"))
        #expect(
            settings
                == SMTPSettings(
                    host: "mail.example.com", port: 587, from: "muster@example.com", username: "pager", password: "s@cret",
                    startTLS: .required, caFile: "/etc/ca.pem"))
        #expect(SMTPSettings.parse("smtp://relay?from=m@example.com")?.port == 25)
        #expect(SMTPSettings.parse("smtp://relay") == nil)
    }
}
