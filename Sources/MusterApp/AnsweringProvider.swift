import Configuration
import Synchronization

/// Notes, for each key read, which provider answered (its place in the reader's list), so that
/// `muster config check` can say where each value came from.
final class AnsweringProvider: AccessReporter, Sendable {
    private let places = Mutex<[String: Int]>([:])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        guard let place = event.providerResults.firstIndex(where: { (try? $0.result.get().value) != nil }) else { return }
        places.withLock { $0[key] = place }
    }

    /// The place of the provider that answered for `key`, if any did.
    func place(of key: String) -> Int? { places.withLock { $0[key] } }
}
