import Foundation
import MusterCore
@testable import MusterStore
import Testing

@Suite("Alert documents written by hand")
struct AlertDocumentTests {
    static var alerts: [Alert] {
        let event = AlertEvent(
            action: .trigger, dedupKey: "fp-\"quoted\"\\", summary: "Disk 97% full on db-1\nsecond line \u{1}", source: "alertmanager",
            severity: .critical, labels: ["alertname": "DiskFull", "instance": "db-1:9100", "ünïcode": "漢字 🚨"],
            annotations: ["summary": "</script>", "runbook_url": "https://runbooks.example.com/disk"],
            links: [AlertLink(href: "https://grafana.example.com/d/1", text: "dashboard"), AlertLink(href: "http://prom/graph")],
            startsAt: Date(timeIntervalSince1970: 1_795_000_000.123_456))
        let now = Date(timeIntervalSince1970: 1_795_000_100.987)
        var plain = Alert(id: UUID(), integrationID: UUID(), service: "checkout", event: event, at: now)
        var joined = plain
        joined.incidentID = UUID()
        joined.incidentReference = "INC-2026-0042"
        joined.occurrences = 12_345
        joined.lastSeen = now.addingTimeInterval(0.000_1)
        var resolved = joined
        _ = resolved.receive(AlertEvent(action: .resolve, dedupKey: event.dedupKey, summary: "", source: "x", severity: .info), at: now)
        resolved.silenceID = UUID()
        plain.links = []
        plain.labels = [:]
        plain.annotations = [:]
        let old = Alert(
            id: UUID(), integrationID: UUID(), service: "s",
            event: AlertEvent(action: .trigger, dedupKey: "k", summary: "s", source: "t", severity: .info, startsAt: Date(timeIntervalSince1970: 0)),
            at: Date(timeIntervalSinceReferenceDate: -1e-7))
        return [plain, joined, resolved, old]
    }

    @Test("decodes to the same alert as Codable would", arguments: alerts)
    func roundTrip(alert: Alert) throws {
        // when
        let text = AlertDocument.encode(alert)
        // then
        #expect(try DocumentCoding.decode(Alert.self, from: text) == alert)
        let byEncoder = try JSONSerialization.jsonObject(with: Data(DocumentCoding.encode(alert).utf8)) as? NSDictionary
        let byHand = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(byHand == byEncoder)
    }
}
