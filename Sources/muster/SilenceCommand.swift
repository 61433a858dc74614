import ArgumentParser
import Foundation
import MusterCore
import MusterHTTP

struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Maintenance windows: matching alerts open no incident.",
        subcommands: [Create.self, List.self, Extend.self, Expire.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Silence alerts whose labels match, for a while.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Matchers such as env=staging, alertname=~\"Disk.*\", team!=db.") var matchers: [String]
        @Option(help: "When it begins, e.g. 2026-11-24T22:00:00Z (default: now).") var start: String?
        @Option(help: "When it ends, e.g. 2026-11-24T23:30:00Z; instead of --duration.") var end: String?
        @Option(help: "How long from its start, e.g. 2h (default: 1h).") var duration: String?
        @Option(help: "Why (required).") var comment: String
        @Flag(help: "End the silence once the alerts it held have resolved.") var untilResolved = false
        @Flag(help: "Only show which firing alerts it would silence; create nothing.") var dryRun = false

        func validate() throws {
            for matcher in matchers {
                do { _ = try LabelMatcher.parse(matcher) } catch { throw ValidationError(error.message) }
            }
            for (name, value) in [("start", start), ("end", end)] {
                if let value, RFC3339.parse(value) == nil {
                    throw ValidationError("--\(name) must be a date and time such as 2026-11-24T22:00:00Z, not '\(value)'.")
                }
            }
            if end != nil, duration != nil { throw ValidationError("Give --end or --duration, not both.") }
        }

        func run() async throws {
            struct Body: Encodable {
                var matchers: [String]
                var startsAt: String?
                var endsAt: String?
                var duration: String?
                var comment: String
                var expireWhenResolved: Bool
            }
            let body = Body(
                matchers: matchers, startsAt: start, endsAt: end, duration: end == nil ? duration ?? "1h" : nil,
                comment: comment, expireWhenResolved: untilResolved)
            let path = dryRun ? "/api/v1/silences?dryRun=true" : "/api/v1/silences"
            let (silence, data) = try await client.client().call(.POST, path, body: body, as: Silence.self)
            if client.json {
                printJSON(data)
                return
            }
            let from = silence.startsAt > Date() ? " from \(Display.date(silence.startsAt))" : ""
            let what = "\(from) until \(Display.date(silence.endsAt)): \(silence.matchers.map(\.description).joined(separator: ", "))"
            print(dryRun ? "Would silence\(what) (nothing created)" : "Silence \(silence.id.uuidString)\(what)")
            if let preview = try? JSONDecoder().decode(Answer.self, from: data).preview { print(Self.describe(preview)) }
        }

        /// The preview part of the server's answer.
        struct Answer: Decodable {
            var preview: SilencePreview
        }

        static func describe(_ preview: SilencePreview) -> String {
            let count = "\(preview.firingAlerts)\(preview.complete ? "" : " or more") firing alert\(preview.firingAlerts == 1 ? "" : "s")"
            guard preview.firingAlerts > 0 else { return "It matches no alert firing now." }
            let table = Table(
                header: ["SERVICE", "SUMMARY", "INCIDENT", "LABELS"],
                rows: preview.sample.map {
                    [
                        $0.service, Display.truncate($0.summary, 40), $0.incident ?? "-",
                        Display.truncate($0.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","), 60),
                    ]
                }
            ).render()
            let shown = preview.sample.count < preview.firingAlerts ? " (the latest \(preview.sample.count) shown)" : ""
            let onIncidents =
                preview.sample.contains { $0.incident != nil }
                ? "\nA silence keeps alerts from opening incidents; those already on one stay there, and it pages until acknowledged."
                : ""
            return "It matches \(count) now\(shown):\n\(table)\(onIncidents)"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List silences in force or to come.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Include ended silences.") var expired = false

        func run() async throws {
            let (silences, data) = try await client.client().list("/api/v1/silences?expired=\(expired)", as: Silence.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["ID", "MATCHERS", "STARTS", "ENDS", "BY", "COMMENT"],
                    rows: silences.map {
                        [
                            $0.id.uuidString, $0.matchers.map(\.description).joined(separator: ","), Display.date($0.startsAt),
                            Display.date($0.endsAt), $0.createdBy, Display.truncate($0.comment, 40),
                        ]
                    }
                ).render())
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the end of a silence: later to extend it, earlier to shorten it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Silence id.") var id: String
        @Option(help: "How long from now it should last, e.g. 2h.") var duration: String?
        @Option(help: "When it should end (RFC 3339).") var end: String?

        func validate() throws {
            guard (duration == nil) != (end == nil) else { throw ValidationError("Give either --duration or --end.") }
            if let end, RFC3339.parse(end) == nil { throw ValidationError("--end must be an RFC 3339 time such as 2026-12-01T23:30:00Z.") }
            if let duration, DurationText.parse(duration) == nil { throw ValidationError("--duration must be \(DurationText.forms).") }
        }

        func run() async throws {
            let (silence, data) = try await client.client().call(
                .PATCH, "/api/v1/silences/\(APIClient.segment(id))", body: ["endsAt": end, "duration": duration], as: Silence.self)
            if client.json {
                printJSON(data)
            } else {
                print("Silence \(silence.id.uuidString) now ends at \(RFC3339.format(silence.endsAt)).")
            }
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a silence now.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Silence id.") var id: String

        func run() async throws {
            try client.confirm("End silence \(id) now? The alerts it holds back page again.")
            let (silence, data) = try await client.client().call(.DELETE, "/api/v1/silences/\(APIClient.segment(id))", as: Silence.self)
            if client.json { printJSON(data) } else { print("Silence \(silence.id.uuidString) ended.") }
        }
    }
}

struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Alerts received from monitoring.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List alerts, newest activity first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "firing or resolved.") var status: String?
        @Option(help: "Only this service's.") var service: String?
        @Option(help: "Only this incident's (INC-… or its id).") var incident: String?
        @Option(help: "At most this many (1–1000).") var limit: Int = 100
        @Option(help: "Skip this many first, for the next page.") var offset: Int = 0

        func validate() throws {
            if incident != nil, status != nil || service != nil {
                throw ValidationError("--incident lists all of an incident's alerts; leave out --status and --service.")
            }
        }

        func run() async throws {
            var query = "?limit=\(limit)&offset=\(offset)"
            if let status { query += "&status=\(APIClient.segment(status))" }
            if let service { query += "&service=\(APIClient.segment(service))" }
            let path = incident.map { "/api/v1/incidents/\(APIClient.segment($0))/alerts" } ?? "/api/v1/alerts"
            let (alerts, data) = try await client.client().list("\(path)\(query)", as: Alert.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["SERVICE", "STATUS", "SEV", "COUNT", "LAST SEEN", "INCIDENT", "SUMMARY"],
                    rows: alerts.map {
                        [
                            $0.service, $0.status.rawValue + ($0.silenceID == nil ? "" : " (silenced)"), $0.severity.rawValue,
                            String($0.occurrences),
                            Display.date($0.lastSeen), $0.incidentReference ?? "-", Display.truncate($0.summary, 50),
                        ]
                    }
                ).render())
        }
    }
}
