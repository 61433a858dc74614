import ArgumentParser
import Foundation
import MusterCore

extension IncidentCommand {
    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge an incident.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "A note for the timeline.") var note: String?
        @Option(help: "Acknowledge only for a while, e.g. 30m: paging starts over if nobody moves the incident on by then.") var timeout:
            String?
        @OptionGroup var when: HappenedOption

        func run() async throws {
            struct Body: Encodable {
                var note: String?
                var timeoutMinutes: Int?
                var at: String?
            }
            var minutes: Int?
            if let timeout {
                guard let seconds = DurationText.parse(timeout), seconds >= 60 else {
                    throw ValidationError("--timeout must be at least a minute, as \(DurationText.forms).")
                }
                minutes = seconds / 60
            }
            try await perform(
                client, id, "acknowledge", body: Body(note: note, timeoutMinutes: minutes, at: try when.value()), done: "Acknowledged")
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Page the next escalation level now.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String

        func run() async throws {
            try await perform(client, id, "escalate", body: nil, done: "Escalated")
        }
    }

    struct Reassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand an incident to other people, schedules or an escalation policy; they are paged at once.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(name: .customLong("user"), help: "A person to hand the incident to (repeatable).") var users: [String] = []
        @Option(name: .customLong("schedule"), help: "A schedule whose on-call person takes the incident (repeatable).") var schedules:
            [String] = []
        @Option(help: "An escalation policy to walk instead of named people.") var policy: String?
        @Option(help: "A note for the timeline.") var note: String?

        func run() async throws {
            struct Body: Encodable {
                var users: [String]
                var schedules: [String]
                var policy: String?
                var note: String?
            }
            try await perform(
                client, id, "reassign", body: Body(users: users, schedules: schedules, policy: policy, note: note), done: "Reassigned")
            if !client.json { print(try await PagedReport.reassigned(id, client: try client.client())) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an incident to another status.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "acknowledged, investigating, identified, monitoring, resolved or closed.") var status: String
        @Option(help: "A note for the timeline.") var note: String?
        @Option(help: "For resolved: why resolve although resolution checklist items are open or the stability window is not over.")
        var force: String?
        @OptionGroup var when: HappenedOption

        func run() async throws {
            let status = try parseOption(IncidentStatus.self, status, "status")
            try await Resolve.explainingForce {
                try await perform(
                    client, id, "status", body: ["status": status.rawValue, "note": note, "at": try when.value(), "force": force],
                    done: "Updated")
            }
        }
    }

    struct SeverityChange: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "severity", abstract: "Change an incident's severity.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "New severity, e.g. P2.") var severity: String
        @Option(help: "Why the severity changes (required).") var reason: String

        func run() async throws {
            try await perform(client, id, "severity", body: ["severity": severity, "reason": reason], done: "Severity changed")
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign, hand over or remove a response role.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "incident_commander, tech_lead, communications_lead, scribe, operations_lead or sme.") var role: String
        @Argument(help: "Who takes the role (or loses it with --remove).") var assignee: String
        @Flag(help: "Remove the person from the role instead.") var remove = false
        @Flag(help: "The person is outside Muster (a vendor's engineer, say); named in free text.") var outside = false
        @OptionGroup var when: HappenedOption

        func run() async throws {
            let role = try parseOption(IncidentRole.self, role, "role")
            if remove {
                let path = "/api/v1/incidents/\(APIClient.segment(id))/roles/\(role.rawValue)?assignee=\(APIClient.segment(assignee))"
                let (view, data) = try await client.client().call(.DELETE, path, as: IncidentWithTargets.self)
                if client.json { printJSON(data) } else { print("Removed \(assignee) as \(role.title): \(IncidentText.summaryLine(view))") }
            } else {
                struct Body: Encodable {
                    var role, assignee: String
                    var outside: Bool?
                    var at: String?
                }
                try await perform(
                    client, id, "roles",
                    body: Body(role: role.rawValue, assignee: assignee, outside: outside ? true : nil, at: try when.value()),
                    done: "\(assignee) is \(role.title)")
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a note, finding, hypothesis, action, decision or update to the timeline.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "The text.") var text: String
        @Option(help: "note, finding, hypothesis, action, decision or update_published.") var kind: String = "note"
        @Option(help: "For hypotheses: open, confirmed or ruled_out.") var state: String?
        @Option(help: "For actions: pending, succeeded, failed or partial.") var result: String?
        @Option(help: "For actions: the mitigation it is (rollback, feature_flag, config_change, scale, restart, rate_limit, failover, hotfix, other).")
        var mitigation: String?
        @Option(help: "For actions: what it was applied to (a service, a version, a region).") var target: String?
        @Flag(help: "For an action that succeeded: the incident is mitigated; move it to monitoring.") var mitigated = false
        @Flag(help: "For an action with --mitigation: call the hook configured for that kind; its answer is printed and recorded.")
        var runHook = false
        @OptionGroup var when: HappenedOption

        func run() async throws {
            struct Body: Encodable {
                var kind, text: String
                var state, result, mitigation, target, at: String?
                var markMitigated, runHook: Bool?
            }
            let kind = try parseOption(TimelineKind.self, kind, "--kind")
            if let state { _ = try parseOption(HypothesisState.self, state, "--state") }
            if let result { _ = try parseOption(ActionResult.self, result, "--result") }
            if let mitigation { _ = try parseOption(MitigationKind.self, mitigation, "--mitigation") }
            let body = Body(
                kind: kind.rawValue, text: text, state: state, result: result, mitigation: mitigation, target: target,
                at: try when.value(), markMitigated: mitigated ? true : nil, runHook: runHook ? true : nil)
            let (view, data) = try await client.client().call(
                .POST, "/api/v1/incidents/\(APIClient.segment(id))/timeline", body: body, as: IncidentWithTargets.self)
            if client.json {
                printJSON(data)
                return
            }
            print("Added \(kind.rawValue): \(IncidentText.summaryLine(view))")
            guard let hook = view.hook else { return }
            let words = hook.body.flatMap { $0.isEmpty ? nil : ": \($0)" } ?? ""
            let answer = hook.failure ?? "it answered \(hook.status.map(String.init) ?? "") \(hook.reason ?? "")\(words)"
            // A script that asked for the hook learns from the exit status whether it took the job.
            guard hook.accepted else { throw CLIError(description: "The hook at \(hook.address) did not take the job: \(answer)") }
            print("The hook at \(hook.address) took the job: \(answer)")
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve an incident.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "What fixed it.") var resolution: String?
        @Option(help: "Why it happened.") var rootCause: String?
        @Option(help: "Why resolve although resolution checklist items are open or the stability window is not over.")
        var force: String?
        @OptionGroup var when: HappenedOption

        func run() async throws {
            try await Self.explainingForce {
                try await perform(
                    client, id, "resolve",
                    body: ["resolution": resolution, "rootCause": rootCause, "at": try when.value(), "force": force], done: "Resolved")
            }
        }

        /// Runs `send`, turning the server's call for a confirmed reason into the flag that gives it.
        static func explainingForce(_ send: () async throws -> Void) async throws {
            do {
                try await send()
            } catch var error as CLIError where error.problem?.field == "force" {
                error.description = error.description.replacingOccurrences(of: "confirm with the reason in 'force'", with: "give the reason with --force")
                throw error
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a resolved incident.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "A closing note.") var note: String?
        @OptionGroup var when: HappenedOption

        func run() async throws {
            try await perform(client, id, "close", body: ["note": note, "at": try when.value()], done: "Closed")
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a resolved incident whose fix did not hold.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "Why it is reopened (required).") var reason: String

        func run() async throws {
            try await perform(client, id, "reopen", body: ["reason": reason], done: "Reopened")
        }
    }
}
