import ArgumentParser
import Foundation
import MusterApp
import MusterCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check the server's configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the configuration in force, where each value comes from, and what to look at; secrets masked.",
            discussion: "Exit status 0 when the configuration can be used, 2 (with the reason) when it cannot.")
        @OptionGroup var options: ServerOptions
        @Option(help: "Listen address, as serve takes it.") var host: String?
        @Option(help: "Port, as serve takes it.") var port: Int?

        func run() async throws {
            let resolved = try options.resolve(host: host, port: port)
            let config = resolved.config
            var rows = ConfigSettingsView.rows(config)
            rows.append(["severities", config.scheme.names.joined(separator: ", ")])
            rows.append([
                "ingest.severity_map",
                AlertSeverity.allCases.map { "\($0.rawValue)→\(config.severityMapping.severity(for: $0, in: config.scheme))" }
                    .joined(separator: " "),
            ])
            let hooks = config.mitigationHooks
            rows.append([
                "mitigations.hooks",
                hooks.isEmpty ? "none" : hooks.kinds.map { "\($0.rawValue)→\(hooks.shownAddress(for: $0) ?? "")" }.joined(separator: " "),
            ])
            let table = rows.map { row in [row[0], row[1], resolved.sources[row[0]] ?? "default"] }
            print(Table(header: ["SETTING", "VALUE", "FROM"], rows: table).render())
            let warnings = ConfigAdvice.warnings(config)
            for warning in warnings { print("warning: \(warning)") }
            print(warnings.isEmpty ? "The configuration can be used." : "The configuration can be used; see the warnings above.")
        }
    }
}
