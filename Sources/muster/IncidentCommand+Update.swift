import ArgumentParser
import Foundation
import MusterCore

extension IncidentCommand {
    /// Who a status update is for, as a flag.
    enum AudienceFlag: String, EnumerableFlag {
        case `internal`, external, both
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a status update from its template and publish it, or only show it with --preview.",
            discussion: """
                The update is written from the template for its audience and phase, filled from the incident, with TEXT \
                as what is being done now; --no-template sends TEXT as it is. The next update defaults to the \
                severity's cadence.
                """)
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "What is being done now.") var text: String?
        @Flag(help: "Who it is for (default --internal).") var audience: AudienceFlag = .internal
        @Option(help: "investigating, identified, monitoring or resolved.") var phase: String
        @Option(help: "When the next update will come, from now, such as 15m.") var next: String?
        @Flag(inversion: .prefixedNo, help: "Write it from the template.") var template = true
        @Flag(help: "Show the update as it would read, without publishing it.") var preview = false

        struct Body: Encodable {
            var audience: String
            var phase: String
            var text: String?
            var nextUpdateIn: String?
            var template: Bool
        }

        struct Answer: Decodable {
            var body: String
            var nextUpdateAt: Date?
            var preview: Bool
        }

        func run() async throws {
            let phase = try parseOption(UpdatePhase.self, phase, "--phase")
            if let next, DurationText.parse(next) == nil {
                throw ValidationError("--next must be \(DurationText.forms); got '\(next)'.")
            }
            let body = Body(audience: audience.rawValue, phase: phase.rawValue, text: text, nextUpdateIn: next, template: template)
            let path = "/api/v1/incidents/\(APIClient.segment(id))/updates" + (preview ? "?preview=true" : "")
            let (answer, data) = try await client.client().call(.POST, path, body: body, as: Answer.self)
            if client.json {
                printJSON(data)
                return
            }
            print(answer.preview ? "Preview, not published (\(audience.rawValue)):" : "Published (\(audience.rawValue)):")
            print(answer.body)
            if let next = answer.nextUpdateAt { print("Next update promised by \(Display.date(next)).") }
        }
    }
}
