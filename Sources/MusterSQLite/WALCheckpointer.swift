import Foundation

/// Copies the write-ahead log back into the database file from a connection and thread of its
/// own: twenty times a second while the log grows, four times when it does not.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the one
/// connection every write goes through; under an alert storm that was a twentieth of the serial
/// writer's time. A passive checkpoint here never waits for the writer nor makes it wait, and
/// leaves the automatic one little to copy. The automatic one stays on: under steady writes a
/// background checkpoint never finds the log fully copied, and only a checkpoint between two of the
/// writer's transactions lets the log start again from its beginning instead of growing.
/// At four times a second under steady writes, the automatic one still found most of the log to
/// copy: every few hundred milliseconds one commit took several more, which showed as the p99 of
/// batches at half load (29–31 ms; 19–26 ms at twenty times a second).
final class WALCheckpointer: @unchecked Sendable {
    private let handle: SQLiteHandle
    private let busyInterval: TimeInterval
    private let idleInterval: TimeInterval
    private let condition = NSCondition()
    private var stopping = false
    private var running = false

    init(path: String, busyInterval: TimeInterval = 0.05, idleInterval: TimeInterval = 0.25) throws {
        handle = try SQLiteHandle(path: path)
        self.busyInterval = busyInterval
        self.idleInterval = idleInterval
        _ = try handle.execute("PRAGMA busy_timeout = 5000", [])
    }

    func start() {
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in run() }
        thread.name = "muster-wal-checkpoint"
        thread.start()
    }

    /// Stops the thread after a last checkpoint and closes the connection.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
        handle.close()
    }

    private func run() {
        var lastLog: Int?
        var interval = idleInterval
        condition.lock()
        while !stopping {
            _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            condition.unlock()
            // A failed checkpoint (the database busy, say) is retried at the next turn.
            let result = try? handle.execute("PRAGMA wal_checkpoint(PASSIVE)", []).first
            let log = try? result?.decode(column: "log", as: Int.self)
            interval = log != nil && log != lastLog ? busyInterval : idleInterval
            lastLog = log
            condition.lock()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
