import ArgumentParser
import Foundation
import MusterCore

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "On-call rotations.",
        subcommands: [
            Create.self, List.self, Edit.self, Delete.self, Shifts.self, Override.self, Overrides.self, OverrideEdit.self,
            OverrideRemove.self, Handoff.self, Feed.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a schedule with one rotation layer.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(name: .customLong("user"), help: "A user in rotation order (repeatable).") var users: [String]
        @Option(help: "Shift length, e.g. 1w, 1d, 12h.") var shift: String = "1w"
        @Option(help: "First handoff (RFC 3339); its local time is the handoff time.") var start: String
        @Option(help: "IANA time zone the handoff time is kept in.") var timeZone: String = "UTC"

        func run() async throws {
            guard let last = shift.last, let count = Int(shift.dropLast()), count > 0,
                let unit: ShiftUnit = ["h": .hours, "d": .days, "w": .weeks][String(last)]
            else {
                throw ValidationError("--shift must be a number followed by h, d or w, e.g. 1w.")
            }
            struct Layer: Encodable {
                var name: String
                var users: [String]
                var shiftLength: Int
                var unit: String
                var start: String
                var timeZone: String
            }
            struct Body: Encodable {
                var id: String
                var name: String
                var timeZone: String
                var layers: [Layer]
            }
            let body = Body(
                id: id, name: name, timeZone: timeZone,
                layers: [
                    Layer(name: "rotation", users: users, shiftLength: count, unit: unit.rawValue, start: start, timeZone: timeZone)
                ])
            let (record, data) = try await client.client().call(.POST, "/api/v1/schedules", body: body, as: ScheduleRecord.self)
            if client.json { printJSON(data) } else { print("Created schedule \(record.id) (\(record.name)).") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List schedules.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let (records, data) = try await client.client().list("/api/v1/schedules", as: ScheduleRecord.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["ID", "NAME", "TIME ZONE", "LAYERS", "PEOPLE"],
                    rows: records.map {
                        [$0.id, $0.name, $0.timeZone, String($0.schedule.layers.count), $0.schedule.people.joined(separator: ", ")]
                    }
                ).render())
        }
    }

    struct Shifts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the shifts of the coming weeks.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Option(help: "How far ahead, in days.") var days: Int = 14

        struct Answer: Decodable { var shifts: [Shift] }

        func run() async throws {
            let to = RFC3339.format(Date().addingTimeInterval(Double(days) * 86_400))
            let (answer, data) = try await client.client().call(
                .GET, "/api/v1/schedules/\(APIClient.segment(id))/shifts?to=\(APIClient.segment(to))", as: Answer.self)
            if client.json {
                printJSON(data)
                return
            }
            print(
                Table(
                    header: ["FROM", "TO", "ON CALL"],
                    rows: answer.shifts.map {
                        [Display.date($0.start), Display.date($0.end), $0.user ?? "nobody"]
                    }
                ).render())
        }
    }

    struct Override: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put someone on call in place of the rotation for a while.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Option(help: "Who stands in.") var user: String
        @Option(help: "From (RFC 3339).") var start: String
        @Option(help: "Until (RFC 3339).") var end: String

        func run() async throws {
            let (_, data) = try await client.client().call(
                .POST, "/api/v1/schedules/\(APIClient.segment(id))/overrides", body: ["user": user, "start": start, "end": end],
                as: ScheduleRecord.self)
            if client.json { printJSON(data) } else { print("\(user) is on call for \(id) from \(start) to \(end).") }
        }
    }

    struct Handoff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The handoff report: last shift, who takes over, open incidents.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String

        func run() async throws {
            let (report, data) = try await client.client().call(
                .GET, "/api/v1/schedules/\(APIClient.segment(id))/handoff", as: HandoffSummary.self)
            if client.json {
                printJSON(data)
                return
            }
            print(report.text)
        }
    }
}
