import ArgumentParser
import MusterApp

/// Flags shared by the commands that open the database directly.
struct ServerOptions: ParsableArguments {
    @Option(help: "YAML configuration file (or MUSTER_CONFIG).")
    var config: String?

    @Option(help: "SQLite file path or postgres:// URL (or MUSTER_DATABASE; default ./muster.db).")
    var database: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (or MUSTER_LOG_LEVEL).")
    var logLevel: String?

    func load(host: String? = nil, port: Int? = nil) throws -> MusterConfig {
        try resolve(host: host, port: port).config
    }

    /// The configuration with the source of each value.
    func resolve(host: String? = nil, port: Int? = nil) throws -> ConfigLoader.Resolved {
        try ConfigLoader().resolve(.init(config: config, host: host, port: port, database: database, logLevel: logLevel))
    }
}
