import Dispatch
import Foundation

/// SIGHUP asks a server to reread its files (systemd's reload sends it); by default it would
/// end the process. While this lives, SIGHUP runs `handler` instead.
final class HangupSignal: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
    }

    func cancel() { source.cancel() }
}
