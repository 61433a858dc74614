import Foundation
import Logging
import MusterStore
import SQLiteKit

/// One SQLite connection in WAL mode, used by one caller at a time, on the store's own thread.
///
/// SQLite allows a single writer anyway; funnelling everything through one connection means a
/// transaction never meets `SQLITE_BUSY` from its own process. The holder's work runs on
/// `WriterThread`, where statements call SQLite directly (`SQLiteHandle`): a statement that
/// waits for the disk blocks that thread, never the threads that serve requests.
public final class SQLiteConnectionSource: SQLConnectionSource {
    private let handle: SQLiteHandle
    private let database: DirectSQLiteDatabase
    private let checkpointer: WALCheckpointer?
    private let gate = SerialGate()
    public let dialect = StoreDialect.sqlite
    /// Where every statement runs, and so where the ingestion writer runs too.
    public var writerExecutor: any TaskExecutor { WriterThread.shared }

    private init(handle: SQLiteHandle, checkpointer: WALCheckpointer?, logger: Logger) {
        self.handle = handle
        self.checkpointer = checkpointer
        database = DirectSQLiteDatabase(handle: handle, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
    }

    /// Opens (creating if needed) the database file at `path` and sets it up for durable concurrent use.
    public static func open(path: String, logger: Logger = Logger(label: "muster.sqlite")) async throws -> SQLiteConnectionSource {
        do {
            return try openHandle(path: path, logger: logger)
        } catch let failure as SQLiteFailure {
            // Said once, at start: name the file and the cause, not only SQLite's code.
            throw StoreError.unavailable("Cannot use the SQLite database at \(path): \(failure.message) (SQLite error \(failure.code)).")
        }
    }

    private static func openHandle(path: String, logger: Logger) throws -> SQLiteConnectionSource {
        let handle = try SQLiteHandle(path: path)
        var checkpointer: WALCheckpointer?
        do {
            let journal = try handle.execute("PRAGMA journal_mode = WAL", []).first?.decode(column: "journal_mode", as: String.self)
            for pragma in [
                "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000",
                // Memory-mapped reads, and an 8 MiB page cache (SQLite's default is 2 MiB) for the
                // pages read from the log. Not larger: when a B-tree page splits, SQLite may swap
                // two pages' numbers through the unused lock page's number, past the end of the
                // file, and the commit that follows then walks the cache's whole hash table to drop
                // that page. With 64 MiB the walk took 3 % of the server's CPU samples under
                // batches of 100 alerts; with 8 MiB, 0.5 %.
                "PRAGMA cache_size = -8192", "PRAGMA mmap_size = 268435456",
                // Statement journals (multi-row upserts need them) in memory instead of temporary
                // files: each was a write() per touched page.
                "PRAGMA temp_store = MEMORY",
            ] {
                _ = try handle.execute(pragma, [])
            }
            if journal?.lowercased() == "wal" {
                // Most checkpointing moves to a thread of its own (see WALCheckpointer).
                checkpointer = try WALCheckpointer(path: path)
                checkpointer?.start()
            }
        } catch {
            checkpointer?.stop()
            handle.close()
            throw error
        }
        return SQLiteConnectionSource(handle: handle, checkpointer: checkpointer, logger: logger)
    }

    /// The handle keeps every statement prepared already, so `reusingStatements` changes nothing
    /// here; nor does `bounded`: the file is local, and SQLite's busy timeout bounds its waits.
    public func withConnection<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await gate.acquire()
        do {
            let result = try await withTaskExecutorPreference(writerExecutor) { try await body(database) }
            await gate.release()
            return result
        } catch let failure as SQLiteFailure {
            await gate.release()
            throw failure.storeError
        } catch {
            await gate.release()
            throw error
        }
    }

    public func shutdown() async throws {
        try await gate.acquire()
        await gate.close()
        await gate.release()
        await withTaskExecutorPreference(writerExecutor) {
            checkpointer?.stop()
            handle.close()
        }
    }
}
