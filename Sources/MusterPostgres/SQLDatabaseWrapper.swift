import Logging
import PostgresKit

/// An `SQLDatabase` that runs statements its own way over another one, and reports that one's
/// logger, loop, version and dialect as its own.
protocol SQLDatabaseWrapper: SQLDatabase {
    /// The database underneath.
    var base: any SQLDatabase { get }
}

extension SQLDatabaseWrapper {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }
}
