import Foundation

/// Runs blocking work (process waits, pipe reads, a child process's start) on a new thread and
/// awaits its result. A test process has only as many cooperative threads as cores; blocking one
/// starves the in-process servers (webhook receivers) of the tests running beside it.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
