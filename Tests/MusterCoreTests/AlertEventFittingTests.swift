import Foundation
import MusterCore
import Testing

@Suite("Alert events cut to size")
struct AlertEventFittingTests {
    static func event(
        summary: String = "Disk full", labels: [String: String] = ["alertname": "DiskFull"],
        annotations: [String: String] = [:], links: Int = 0
    ) -> AlertEvent {
        AlertEvent(
            action: .trigger, dedupKey: "k", summary: summary, source: "am", severity: .critical, labels: labels,
            annotations: annotations, links: (0..<links).map { AlertLink(href: "https://example.com/\($0)") })
    }

    @Test("an event within every limit is left as it is")
    func untouched() throws {
        // given
        let event = Self.event(annotations: ["description": String(repeating: "x", count: AlertEvent.maxLabelValueLength)], links: 20)
        // when / then
        #expect(event.fitted() == event)
    }

    @Test("long text ends in an ellipsis at its limit; extra entries and links are left out, in key order; the result validates")
    func cut() throws {
        // given
        var labels = Dictionary(uniqueKeysWithValues: (0..<70).map { (String(format: "l%02d", $0), "v") })
        labels[String(repeating: "k", count: 300)] = "long name"
        let event = Self.event(
            summary: String(repeating: "s", count: 2_000), labels: labels,
            annotations: ["stack": String(repeating: "t", count: 20_000), "summary": "short"], links: 25)
        #expect(throws: IncidentError.self) { try event.validate() }
        // when
        let fitted = event.fitted()
        // then
        try fitted.validate()
        #expect(fitted.summary.count == AlertEvent.maxSummaryLength)
        #expect(fitted.summary.hasSuffix("s…"))
        #expect(fitted.labels.count == AlertEvent.maxLabels)
        #expect(
            fitted.labels.keys.sorted()
                == Array(labels.keys.sorted().prefix(AlertEvent.maxLabels)).map {
                    $0.count > AlertEvent.maxLabelKeyLength ? String($0.prefix(AlertEvent.maxLabelKeyLength - 1)) + "…" : $0
                }.sorted())
        #expect(fitted.annotations["stack"]?.count == AlertEvent.maxLabelValueLength)
        #expect(fitted.annotations["stack"]?.hasSuffix("…") == true)
        #expect(fitted.annotations["summary"] == "short")
        #expect(fitted.links.count == AlertEvent.maxLinks)
        #expect(fitted.links.first == event.links.first)
    }

    @Test("characters, not bytes, count: text of many-byte characters within its limit is kept whole")
    func characters() {
        // given
        let text = String(repeating: "漢", count: AlertEvent.maxSummaryLength)
        // when / then
        #expect(Self.event(summary: text).fitted().summary == text)
    }
}
