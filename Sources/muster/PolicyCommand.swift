import ArgumentParser
import Foundation
import MusterCore
import MusterStore

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Escalation policies: who is paged, in what order.",
        subcommands: [Create.self, List.self, Update.self, Delete.self, Assign.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an escalation policy.",
            discussion:
                "Each --level is targets then a delay: 'user:ann,schedule:primary@5m' pages Ann and whoever is on call on primary, then waits 5 minutes."
        )
        @OptionGroup var client: ClientOptions
        @Argument(help: "Policy id.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(name: .customLong("level"), help: "Targets and delay, e.g. user:ann,schedule:primary@5m (repeatable, in order).")
        var levels: [String]
        @Option(help: "How many more times to walk the levels when nobody acknowledges.") var repeats: Int = 0

        func run() async throws {
            let parsed = try levels.map(Self.parseLevel)
            let policy: EscalationPolicy
            do { policy = try EscalationPolicy(id: id, name: name, levels: parsed, repeats: repeats) } catch {
                throw ValidationError(error.message)
            }
            let (created, data) = try await client.client().call(
                .POST, "/api/v1/escalation-policies", body: policy, as: EscalationPolicy.self)
            if client.json {
                printJSON(data)
            } else {
                print("Created escalation policy \(created.id) with \(created.levels.count) levels.")
            }
        }

        static func parseLevel(_ text: String) throws -> EscalationLevel {
            let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
            guard parts.count == 2, let seconds = DurationText.parse(parts[1]) else {
                throw ValidationError("--level '\(text)' must look like user:ann,schedule:primary@5m.")
            }
            let targets = try parts[0].split(separator: ",").map { item -> EscalationTarget in
                let pair = item.split(separator: ":", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { throw ValidationError("--level target '\(item)' must be user:ID, schedule:ID or team:ID.") }
                switch pair[0] {
                case "user": return .user(pair[1])
                case "schedule": return .schedule(pair[1])
                case "team": return .team(pair[1])
                default: throw ValidationError("--level target '\(item)' must be user:ID, schedule:ID or team:ID.")
                }
            }
            do { return try EscalationLevel(targets: targets, delaySeconds: seconds) } catch { throw ValidationError(error.message) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List escalation policies.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (policies, data) = try await client.client().list("/api/v1/escalation-policies", as: EscalationPolicy.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["ID", "NAME", "LEVELS", "REPEATS"],
                    rows: policies.map { policy in
                        [
                            policy.id, policy.name,
                            policy.levels.map {
                                "\($0.targets.map(\.description).joined(separator: " + ")) → \(DurationText.format($0.delaySeconds))"
                            }.joined(separator: "; "),
                            String(policy.repeats),
                        ]
                    }
                ).render())
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a policy page for a service's new incidents.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Service id.") var service: String
        @Argument(help: "Policy id, or 'none' to stop paging for the service.") var policy: String
        @Flag(help: "Also page the service's open, unacknowledged incidents that nobody is being paged for.") var pageOpen = false

        func validate() throws {
            if pageOpen, policy == "none" { throw ValidationError("--page-open needs a policy to page with.") }
        }

        func run() async throws {
            struct Body: Encodable {
                var escalationPolicy: String?
                var pageOpen: Bool
            }
            struct Answer: Decodable { var paged: [String] }
            if policy == "none" { try client.confirm("Stop paging for \(service)? Its new incidents will page nobody.") }
            let (answer, data) = try await client.client().call(
                .PUT, "/api/v1/services/\(APIClient.segment(service))/escalation-policy",
                body: Body(escalationPolicy: policy == "none" ? nil : policy, pageOpen: pageOpen), as: Answer.self)
            if client.json {
                printJSON(data)
                return
            }
            print(policy == "none" ? "\(service) pages no one now." : "\(service) now pages through \(policy).")
            if pageOpen {
                print(
                    answer.paged.isEmpty
                        ? "No open incident was waiting to be paged." : "Paged now: \(answer.paged.joined(separator: ", ")).")
            }
        }
    }
}
