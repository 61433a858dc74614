import Foundation
import MusterTestSupport
import Testing

@testable import MusterHTTP

/// U+0000 in a request: PostgreSQL cannot store it in text, SQLite can. Both stores must answer
/// the same way: alerts take it as U+FFFD, everything else refuses it with a 400 naming it.
@Suite("NUL characters in requests")
struct NULCharacterTests {
    @Test(
        "alerts with \\u0000 in their key, labels and text are kept with U+FFFD, and their redelivery is deduplicated",
        arguments: TestBackend.all)
    func alertsKeepNUL(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            let alertmanager = try await api.integration("alertmanager")
            let pagerDuty = try await api.integration("pagerduty")
            let body = #"""
                {"version":"4","status":"firing","alerts":[{"status":"firing","fingerprint":"ab\u0000cd",
                 "labels":{"alertname":"Disk\u0000Full","odd\u0000key":"x"},"annotations":{"summary":"disk \u0000 full"}}]}
                """#
            let event =
                #"{"routing_key":"\#(pagerDuty)","event_action":"trigger","dedup_key":"pd\u0000","payload":{"summary":"db\u0000down","source":"db-1","severity":"critical"}}"#
            // when
            let first = try await api.send(.post, "/ingest/alertmanager/\(alertmanager)", body: body)
            let again = try await api.send(.post, "/ingest/alertmanager/\(alertmanager)", body: body)
            let paged = try await api.send(.post, "/v2/enqueue", body: event)
            // then
            #expect(first.status == .ok, "\(first.text)")
            let outcomes = again.object["outcomes"] as? [[String: Any]]
            #expect(outcomes?.first?["change"] as? String == "repeated")
            #expect(outcomes?.first?["dedupKey"] as? String == "ab\u{FFFD}cd")
            #expect(paged.status == .accepted, "\(paged.text)")
            #expect(paged.object["dedup_key"] as? String == "pd\u{FFFD}")
            let alerts = try await api.send(.get, "/api/v1/alerts", token: api.viewer).array
            let disk = try #require(alerts.first { $0["dedupKey"] as? String == "ab\u{FFFD}cd" })
            #expect(disk["occurrences"] as? Int == 2)
            #expect(disk["summary"] as? String == "disk \u{FFFD} full")
            #expect((disk["labels"] as? [String: String]) == ["alertname": "Disk\u{FFFD}Full", "odd\u{FFFD}key": "x"])
            #expect(alerts.contains { $0["summary"] as? String == "db\u{FFFD}down" })
            let incidents = try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["items"] as? [[String: Any]]
            #expect(incidents?.count == 1)
            #expect(incidents?.first?["title"] as? String == "disk \u{FFFD} full")
        }
    }

    @Test(
        "API bodies and queries holding NUL get 400 saying so and store nothing; an escaped backslash before u0000 is plain text",
        arguments: TestBackend.all)
    func apiRefusesNUL(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // when
            let service = try await api.write("/api/v1/services", #"{"id":"nul","name":"Check\u0000out"}"#)
            let incident = try await api.write("/api/v1/incidents", #"{"title":"Checkout\u0000 failing","severity":"P1"}"#)
            let query = try await api.send(.get, "/api/v1/alerts?service=web%00", token: api.viewer)
            let literal = try await api.write("/api/v1/services", #"{"id":"lit","name":"C:\\u0000"}"#)
            // then
            #expect(service.expectProblem(.badRequest).contains("NUL character (\\u0000)"))
            #expect(incident.expectProblem(.badRequest).contains("NUL character"))
            #expect(query.expectProblem(.badRequest).contains("NUL character (%00)"))
            #expect(try await api.send(.get, "/api/v1/services/nul", token: api.viewer).status == .notFound)
            #expect((try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["items"] as? [Any])?.isEmpty == true)
            #expect(literal.status == .created, "\(literal.text)")
            #expect(literal.object["name"] as? String == #"C:\u0000"#)
        }
    }

    @Test("the scanner finds \\u0000 escapes and nothing else")
    func scanner() {
        #expect(NULText.isEscaped(in: Array(#"{"a":"x\u0000"}"#.utf8)))
        #expect(NULText.isEscaped(in: Array(#"{"a\u0000":1}"#.utf8)))
        #expect(NULText.isEscaped(in: Array(#"["\\\u0000"]"#.utf8)))
        #expect(!NULText.isEscaped(in: Array(#"["\\u0000"]"#.utf8)))
        #expect(NULText.isEscaped(in: Array(#"["\u00001"]"#.utf8)))
        #expect(!NULText.isEscaped(in: Array(#"["\u0001\u1000"]"#.utf8)))
        #expect(!NULText.isEscaped(in: Array(#"["\u000"#.utf8)))
        #expect(!NULText.isEscaped(in: Array(#"\"#.utf8)))
        #expect(!NULText.isEscaped(in: [UInt8]()))
        #expect(NULText.isEncoded(inQuery: "service=a%00b"))
        #expect(!NULText.isEncoded(inQuery: "service=a%2500b"))
    }
}
