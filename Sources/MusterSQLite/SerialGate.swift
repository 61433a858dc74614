import MusterStore

/// A first-come, first-served async lock: one holder at a time, the rest wait in order.
/// Once closed, it refuses new holders instead of letting them wait forever.
actor SerialGate {
    private var busy = false
    private var closed = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async throws {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        if closed {
            release()
            throw StoreError.unavailable("The SQLite database has been closed.")
        }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Marks the gate closed; the caller must hold it.
    func close() {
        closed = true
    }
}
