import Foundation
import MusterCore
import MusterPostgres
import MusterStore
import MusterTestSupport
import Testing

/// PostgreSQL over TLS against the test cluster, which serves a certificate for `localhost` signed
/// by an authority of its own (`MUSTER_TEST_POSTGRES_CA`, made by scripts/postgres-cluster).
@Suite("PostgreSQL with TLS", .enabled(if: PostgresTLSCluster.available))
struct PostgresTLSTests {
    var authority: String { ProcessInfo.processInfo.environment["MUSTER_TEST_POSTGRES_CA"]! }

    /// The scratch database's URL with another host and TLS settings.
    func url(_ database: ScratchDatabase, host: String, _ query: String) -> String {
        var components = URLComponents(string: database.url)!
        components.host = host
        return components.string! + "?" + query
    }

    @Test("verify-full connects the pools and the ingestion connection over TLS, and checks the certificate")
    func verifyFull() async throws {
        // given a scratch database, reached by the name its certificate is for
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        defer { Task { await database.remove() } }
        let secured = url(database, host: "localhost", "sslmode=verify-full&sslrootcert=\(authority)")
        // when a store migrates it, ingests an alert (on the pipelined connection) and reads it back
        let store = try await TestBackend.open(secured)
        _ = try await store.migrate()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
        let integration = try await store.createIntegration(service: "web", kind: .alertmanager, name: "am", at: t0).0
        let outcomes = try await store.ingest(
            [AlertEvent(action: .trigger, dedupKey: "a", summary: "Down", source: "test", severity: .critical)], via: integration,
            scheme: .standard, mapping: .standard(for: .standard), at: t0)
        let alerts = try await store.alerts(AlertQuery())
        try await store.shutdown()
        // then it all worked, over connections PostgreSQL says are encrypted
        #expect(outcomes.first?.change == .opened)
        #expect(alerts.count == 1)
        let encrypted = try await TestBackend.rows(secured, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") {
            try $0.decode(column: "ssl", as: Bool.self)
        }
        #expect(encrypted == [true])
    }

    @Test("a certificate for another name, or from an unknown authority, is refused with a clear message")
    func refused() async throws {
        // given
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        defer { Task { await database.remove() } }
        // when the host is 127.0.0.1, a name the certificate is not for
        let wrongName = url(database, host: "127.0.0.1", "sslmode=verify-full&sslrootcert=\(authority)")
        // and when the authority trusted is the system's, which never signed it
        let unknownAuthority = url(database, host: "localhost", "sslmode=verify-ca&sslrootcert=system")
        // then both are refused, saying what to check
        for refused in [wrongName, unknownAuthority] {
            do {
                let store = try await TestBackend.open(refused)
                try? await store.shutdown()
                Issue.record("\(refused) was accepted")
            } catch let error as StoreError {
                #expect(error.description.contains("TLS certificate was not accepted"), "\(error)")
            }
        }
        // while verify-ca to 127.0.0.1 (no name check) and require (no check at all) connect
        for accepted in [
            url(database, host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(authority)"),
            url(database, host: "127.0.0.1", "sslmode=require"),
        ] {
            try await TestBackend.busyServerRetried {
                let store = try await TestBackend.open(accepted)
                defer { Task { try? await store.shutdown() } }
                try await store.ping()
            }
        }
    }

    @Test("sslmode and sslrootcert are checked when the URL is read")
    func badSettings() async throws {
        #expect(throws: StoreError.self) { try PostgresConnectionSource(url: "postgres://muster@localhost/x?sslmode=sometimes") }
        #expect(throws: StoreError.self) {
            try PostgresConnectionSource(url: "postgres://muster@localhost/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
        }
    }
}

/// Whether the test script started the PostgreSQL cluster with TLS.
enum PostgresTLSCluster {
    static var available: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["MUSTER_TEST_POSTGRES_URL"] != nil && environment["MUSTER_TEST_POSTGRES_CA"] != nil
    }
}
