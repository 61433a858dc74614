import ArgumentParser
import MusterCore

/// The `muster` binary: the server, its database tasks, and a client for the API.
@main
struct MusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muster",
        abstract: "Incident response: alerts in, people paged, incidents run, lessons kept.",
        version: MusterVersion.number,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TokenCommand.self, IncidentCommand.self, ServiceCommand.self,
            IntegrationCommand.self, SilenceCommand.self, AlertCommand.self, UserCommand.self, TeamCommand.self,
            ScheduleCommand.self, OnCallCommand.self, PolicyCommand.self,
        ])
}
