import NIOCore

/// Runs tasks on one NIO event loop: a task that talks to PostgreSQL over that loop's connections
/// sends each statement and takes each answer on its own thread, with no hop to another thread
/// and back per round trip.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
