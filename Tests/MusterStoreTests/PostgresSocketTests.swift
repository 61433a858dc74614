import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import SQLKit
import Testing

@testable import MusterPostgres

/// A PostgreSQL URL may name the server's Unix socket instead of a host, as libpq's `host=/folder`.
@Suite("PostgreSQL over its Unix socket")
struct PostgresSocketTests {
    @Test("host=/folder in the query names the socket, with the URL's port in its name; a relative folder or no host at all is refused")
    func parsing() throws {
        // when
        let socket = try PostgresURL(parsing: "postgres://ops:pw@:5433/muster?host=/run/postgresql").clientConfiguration
        let bare = try PostgresURL(parsing: "postgresql:///muster?host=%2Fvar%2Frun%2Fpostgresql").clientConfiguration
        let tcp = try PostgresURL(parsing: "postgres://ops@db.internal:6543/muster").clientConfiguration
        let documented = try PostgresURL(parsing: "postgres://muster@/muster?host=/run/postgresql").clientConfiguration
        // then
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5433")
        #expect(socket.host == nil)
        #expect(socket.username == "ops")
        #expect(socket.password == "pw")
        #expect(socket.database == "muster")
        #expect(bare.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(bare.username == "postgres")
        #expect(documented.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(documented.username == "muster")
        #expect(documented.database == "muster")
        #expect(tcp.unixSocketPath == nil)
        #expect(tcp.host == "db.internal")
        #expect(tcp.port == 6543)
        #expect(throws: StoreError.self) { try PostgresURL(parsing: "postgres://ops@:5432/muster?host=run/postgresql").clientConfiguration }
        #expect(throws: StoreError.self) { try PostgresURL(parsing: "postgres:///muster").clientConfiguration }
    }

    @Test(
        "a store opened on the socket migrates, ingests on its prepared connections and reads, and the server sees no TCP peer",
        .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
    func storeOverSocket() async throws {
        // given
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        do {
            try await Self.ingestOverSocket(database.url)
            await database.remove()
        } catch {
            await database.remove()
            throw error
        }
    }

    static func ingestOverSocket(_ url: String) async throws {
        let tcp = try #require(URLComponents(string: url))
        let (folder, tcpPeer) = try await socketFolder(url)
        let socketURL = "postgres://\(tcp.user ?? "postgres")@:\(tcp.port ?? 5432)\(tcp.path)?host=\(folder)"
        let store = try await TestBackend.open(socketURL)
        let source = try await PostgresConnectionSource.open(url: socketURL)
        do {
            // when
            try await store.migrate()
            let now = Date()
            _ = try await store.createService(ServiceRecord(id: "db", name: "Database", description: "", createdAt: now))
            let (integration, _) = try await store.createIntegration(service: "db", kind: .generic, name: "probe", at: now)
            let event = AlertEvent(
                action: .trigger, dedupKey: "disk-full", summary: "Disk full", source: "probe", severity: .critical,
                labels: ["instance": "db-1"], startsAt: now)
            let outcomes = try await store.ingest(
                [event], via: integration, scheme: .standard, mapping: .standard(for: .standard), at: now)
            let stored = try await store.alerts(AlertQuery(service: "db"))
            let hotPeer = try await source.withConnection(reusingStatements: true) { db in try await serverAddress(db) }
            let plainPeer = try await source.withConnection { db in try await serverAddress(db) }
            // then
            #expect(outcomes.count == 1)
            #expect(stored.map(\.dedupKey) == ["disk-full"])
            #expect(tcpPeer == tcp.host)
            #expect(hotPeer == nil)
            #expect(plainPeer == nil)
            try await store.shutdown()
            try await source.shutdown()
        } catch {
            try? await store.shutdown()
            try? await source.shutdown()
            throw error
        }
    }

    /// The first folder the server keeps its Unix socket in, and the server's address as a TCP
    /// connection to `url` sees it.
    static func socketFolder(_ url: String) async throws -> (folder: String, address: String?) {
        let source = try await PostgresConnectionSource.open(url: url)
        let (folders, address) = try await source.withConnection { db in
            let folders = try await db.raw("SHOW unix_socket_directories").all()[0].decode(
                column: "unix_socket_directories", as: String.self)
            return (folders, try await serverAddress(db))
        }
        try await source.shutdown()
        let folder = try #require(folders.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(folder.hasPrefix("/"), "the test cluster listens on a socket folder (scripts/postgres-cluster -k)")
        return (folder, address)
    }

    /// The server's address of this connection: nil over a Unix socket.
    static func serverAddress(_ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT host(inet_server_addr()) AS address").all()[0].decode(column: "address", as: String?.self)
    }
}
