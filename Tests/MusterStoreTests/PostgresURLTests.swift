import MusterStore
import Testing

@testable import MusterPostgres

/// Muster's own options in a PostgreSQL URL.
@Suite("PostgreSQL URL options")
struct PostgresURLTests {
    @Test(
        "transaction_timeout is 30 s unless the URL says otherwise, from 5 to 3600 whole seconds; other values are refused with the reason")
    func transactionTimeout() throws {
        // given / when
        let standard = try PostgresURL(parsing: "postgres://ops@db.internal/muster")
        let minute = try PostgresURL(parsing: "postgres://ops@db.internal/muster?transaction_timeout=60")

        // then
        #expect(standard.transactionTimeout == .seconds(30))
        #expect(minute.transactionTimeout == .seconds(60))
        for refused in ["4", "3601", "1.5", "ten", ""] {
            do {
                _ = try PostgresURL(parsing: "postgres://ops@db.internal/muster?transaction_timeout=\(refused)")
                Issue.record("transaction_timeout=\(refused) was accepted")
            } catch StoreError.invalid(let field, let reason) {
                #expect(field == "database")
                #expect(reason.contains("transaction_timeout=\(refused) must be a whole number of seconds from 5"), "\(reason)")
            }
        }
    }
}
