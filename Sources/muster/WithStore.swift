import Logging
import MusterApp
import MusterStore

/// Opens the configured store, runs `body`, and always closes it.
func withStore<T>(_ config: MusterConfig, _ body: (any Store) async throws -> T) async throws -> T {
    var logger = Logger(label: "muster")
    logger.logLevel = .warning
    let store = try await StoreFactory.open(config.database, logger: logger)
    do {
        let result = try await body(store)
        try await store.shutdown()
        return result
    } catch {
        try? await store.shutdown()
        throw error
    }
}
