import HummingbirdCore
import Testing

@testable import MusterHTTP

@Suite("Paths in logs")
struct LoggedPathTests {
    @Test("an integration key in an ingest path is replaced; other paths stay as they are")
    func redaction() {
        #expect(URI("/ingest/alertmanager/O00bJvYW4R731gqeW1MN6SiysUwNLQan").loggedPath == "/ingest/alertmanager/KEY")
        #expect(URI("/ingest/generic/abc?x=1").loggedPath == "/ingest/generic/KEY")
        #expect(URI("/ingest/generic").loggedPath == "/ingest/generic")
        #expect(URI("/api/v1/incidents/INC-2026-0001").loggedPath == "/api/v1/incidents/INC-2026-0001")
        #expect(URI("/v2/enqueue").loggedPath == "/v2/enqueue")
    }
}
