import Foundation

/// A thread of its own for the ingestion writer and for SQLite's statements, as a task executor.
///
/// The writer is the one serial stage of ingestion: while it waits for a cooperative thread
/// (busy parsing the next requests) after each statement, every other request waits too.
/// Statements come back to this thread instead, which does nothing else. On SQLite every
/// statement runs on this thread itself (`SQLiteConnectionSource`), so the writer waits for none.
public final class WriterThread: TaskExecutor, @unchecked Sendable {
    /// The one writer thread of the process, shared by every ingestor.
    public static let shared = WriterThread(name: "muster-ingest-writer")

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(name: String) {
        let thread = Thread { [unowned self] in self.run() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
