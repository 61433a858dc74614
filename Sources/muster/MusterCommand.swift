import ArgumentParser
import Foundation
import MusterApp
import MusterCore
import MusterStore

/// The `muster` binary: the server, its database tasks, and a client for the API.
@main
struct MusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muster",
        abstract: "Incident response: alerts in, people paged, incidents run, lessons kept.",
        discussion: ExitStatus.summary,
        version: MusterVersion.number,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TokenCommand.self, IncidentCommand.self, ServiceCommand.self,
            IntegrationCommand.self, SilenceCommand.self, AlertCommand.self, UserCommand.self, TeamCommand.self,
            ScheduleCommand.self, OnCallCommand.self, PolicyCommand.self, StakeholderCommand.self, StatusPageCommand.self,
            PostmortemCommand.self, ActionCommand.self, ChangeCommand.self, ChecklistCommand.self, RunbookCommand.self, ReportCommand.self, AuditCommand.self, BackupCommand.self, ConfigCommand.self,
            LoginCommand.self, LogoutCommand.self, APICommand.self,
            CompletionCommand.self,
        ])

    /// Runs the command and ends with the exit status its outcome calls for (`ExitStatus`).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        Display.utc = arguments.contains("--utc")
        let json = arguments.contains("--json")
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            report(error, json: json)
        } catch let error as StoreError {
            report(CLIError.from(error), json: json)
        } catch let error as ConfigError {
            report(CLIError.from(error), json: json)
        } catch let error as IncidentError {
            report(CLIError.from(error), json: json)
        } catch {
            // Help, the version and usage errors, as ArgumentParser reports them; usage is status 2.
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            report(CLIError(description: fullMessage(for: error), kind: .usage), json: json)
        }
    }

    /// Writes the failure to stderr, as a line or a JSON object, and exits with its status.
    static func report(_ error: CLIError, json: Bool) -> Never {
        if json {
            var object: [String: Any] = ["error": error.description, "exitStatus": Int(error.kind.rawValue)]
            if let problem = error.problem {
                var fields: [String: Any] = [
                    "type": problem.type, "title": problem.title, "status": problem.status, "detail": problem.detail,
                ]
                if let field = problem.field { fields["field"] = field }
                object["problem"] = fields
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            FileHandle.standardError.write(data + Data("\n".utf8))
        } else {
            let text = error.description.hasPrefix("Error: ") ? error.description : "Error: \(error.description)"
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
        Foundation.exit(error.kind.rawValue)
    }
}
