import Foundation
import MusterStore
import MusterTestSupport
import Testing

/// PostgreSQL refuses some values that SQLite keeps; such a refusal is the request's fault.
@Suite("PostgreSQL refusals")
struct PostgresRefusalTests {
    @Test(
        "a value no column can hold (text with NUL) is rejected, not reported as the database being unavailable",
        .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
    func dataException() async throws {
        try await TestBackend(kind: .postgres).withStore { store in
            // when
            var caught: (any Error)?
            do { _ = try await store.service("check\u{0}out") } catch { caught = error }
            // then
            guard case .rejected(let message)? = caught as? StoreError else {
                Issue.record("expected StoreError.rejected, got \(String(describing: caught))")
                return
            }
            #expect(message.contains("SQLSTATE 22021"))
            #expect(StoreError.rejected(message).description.hasPrefix("The database refused a value in this request"))
            let plain = try await store.service("checkout")
            #expect(plain == nil)
        }
    }
}
