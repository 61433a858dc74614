import MusterTestSupport

/// The databases the page tests, and API tests of behaviour no store query decides, run on. A page behaves alike on both; the stores' own suites run
/// on both, and page tests that rely on a query of their own (the list's order and filters, the
/// update clocks) run on both too. On two cores the whole suite's PostgreSQL work in parallel
/// already comes close to the pools' lease timeout.
enum PageTestBackends {
    static let pages = [TestBackend(kind: .sqlite)]
}
