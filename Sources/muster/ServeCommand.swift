import ArgumentParser
import Foundation
import Logging
import MusterApp

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the Muster server (migrates the database first).")

    @OptionGroup var options: ServerOptions

    @Option(help: "Address to listen on (or MUSTER_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free port (or MUSTER_PORT; default 8080).")
    var port: Int?

    @Flag(help: "Deliver no pages and escalate no one: for a restored or staging copy of a database.")
    var noPaging = false

    func run() async throws {
        var config = try options.load(host: host, port: port)
        if noPaging { config.paging = false }
        // Logs go to stderr so stdout carries only the lines scripts read.
        LoggingSystem.bootstrap { MusterLogHandler(label: $0, format: config.logFormat) }
        try await MusterServer.run(config) { [config] port in
            // A stable line on stdout so scripts and tests can learn the port.
            FileHandle.standardOutput.write(Data("listening on \(config.urlScheme)://\(config.host):\(port)\n".utf8))
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations and exit.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let config = try options.load()
        try await withStore(config) { store in
            let applied = try await store.migrate()
            let all = try await store.appliedMigrations()
            if applied.isEmpty {
                print("Database is up to date (schema version \(all.last ?? 0)).")
            } else {
                print("Applied migrations \(applied.map(String.init).joined(separator: ", ")); schema version \(all.last ?? 0).")
            }
        }
    }
}
