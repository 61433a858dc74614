import ArgumentParser
import Foundation
import MusterStore

extension ScheduleCommand {
    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the schedule's calendar feed URL (a new secret each time; the old URL stops working), or revoke it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Schedule id.") var id: String
        @Flag(help: "Revoke the feed: its URL stops working.") var revoke = false

        struct Created: Decodable {
            var feed: CalendarFeed
            var url: String
        }

        func run() async throws {
            let path = "/api/v1/schedules/\(APIClient.segment(id))/feed"
            if revoke {
                try await deleteResource(
                    client, path, asking: "Revoke the calendar feed of schedule \(id)? Calendars subscribed to it stop updating.",
                    done: "Revoked the calendar feed of schedule \(id); its URL no longer works.")
                return
            }
            let (created, data) = try await client.client().call(.POST, path, as: Created.self)
            if client.json {
                printJSON(data)
            } else {
                print("Calendar feed of schedule \(id); subscribe to this URL (shown only now, and any earlier one stops working):")
                print(created.url)
            }
        }
    }
}
