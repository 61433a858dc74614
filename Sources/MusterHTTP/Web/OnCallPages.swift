import Foundation
import MusterCore
import MusterStore

/// `/oncall`: who is on call on every schedule and until when, the escalation policies and the teams.
struct OnCallPage: PageModel {
    struct Row: PageModel {
        var id: String
        var name: String
        var user: String?
        var until: PageViews.Time?
        var next: String?
    }
    struct Policy: PageModel {
        var id: String
        var name: String
        var levels: [String]
        var repeats: Int
    }
    struct TeamView: PageModel {
        var id: String
        var name: String
        var members: String
        /// Why its form was just refused, and what was typed.
        var error: String?
        var typedName: String?
        var typedMembers: String?
    }

    var person: [String: String]
    var canWrite: Bool
    var schedules: [Row]
    var policies: [Policy]
    var teams: [TeamView]
    /// The active people a team may hold.
    var people: String
    var notice: String?
    var banner: String?
    /// The signed-in person's time zone, which a new schedule's handoffs keep unless changed.
    var timeZone: String
    var units: [PageViews.Option]
    /// Messages by form, then by field, and what was typed, for the new team's and schedule's forms.
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static let notices = [
        "team": "The team was made.", "team-saved": "The team was saved.", "team-removed": "The team was removed.",
        "policy-removed": "The escalation policy was removed.", "schedule-removed": "The schedule was removed.",
    ]

    /// Whether a refusal is shown beside its form's field (the new team's) or in its team's row,
    /// rather than at the top of the page.
    static func shownBeside(_ failure: FormFailure) -> Bool {
        failure.field != nil && (failure.form.hasPrefix("team") || failure.form == "schedule") && failure.form != "team-delete"
    }

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, failure: FormFailure? = nil, notice: String? = nil
    ) async throws -> OnCallPage {
        async let users = env.stores.onCall.users()
        let now = env.now()
        async let schedules = env.stores.onCall.schedules()
        async let policies = env.stores.onCall.escalationPolicies()
        async let teams = env.stores.onCall.teams()
        return OnCallPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            schedules: try await schedules.map { record in
                let next = record.schedule.nextHandoff(after: now)
                return Row(
                    id: record.id, name: record.name, user: record.schedule.onCall(at: now), until: next.map { .init($0.start) },
                    next: next?.user)
            },
            policies: try await policies.map { policy in
                Policy(
                    id: policy.id, name: policy.name,
                    levels: policy.levels.enumerated().map { index, level in
                        let targets = level.targets.map(\.description).joined(separator: ", ")
                        return "Level \(index + 1): \(targets), then \(WebTime.span(Double(level.delaySeconds))) to the next"
                    }, repeats: policy.repeats)
            },
            teams: try await teams.map { team in
                let refused = failure.flatMap { $0.form == "team-\(team.id)" && shownBeside($0) ? $0 : nil }
                return TeamView(
                    id: team.id, name: team.name, members: team.members.joined(separator: ", "), error: refused?.detail,
                    typedName: refused?.values["name"], typedMembers: refused?.values["members"])
            },
            people: try await users.filter(\.isActive).map(\.id).joined(separator: ", "),
            notice: notice,
            banner: failure.flatMap { shownBeside($0) ? nil : $0.banner },
            timeZone: signedIn.user.timeZone,
            units: ShiftUnit.allCases.map { unit in
                let chosen = failure.flatMap { $0.form == "schedule" ? $0.values["unit"] : nil } ?? ShiftUnit.weeks.rawValue
                return PageViews.Option(value: unit.rawValue, label: unit.rawValue, selected: unit.rawValue == chosen)
            },
            errors: failure.map { ["team", "schedule"].contains($0.form) ? $0.errors : [:] } ?? [:],
            values: failure.map { ["team", "schedule"].contains($0.form) ? [$0.form: $0.values] : [:] } ?? [:])
    }
}

/// `/schedules/{id}`: the shifts of the next two weeks drawn as a timeline, the overrides and the layers.
struct SchedulePage: PageModel {
    struct Bar: PageModel {
        var x: String
        var width: String
        var label: String
    }
    struct Lane: PageModel {
        var user: String
        var y: Int
        var textY: Int
        var bars: [Bar]
    }
    struct ShiftRow: PageModel {
        var user: String
        var start: PageViews.Time
        var end: PageViews.Time
        var length: String
    }
    struct Override: PageModel {
        var id: String
        var user: String
        var start: PageViews.Time
        var end: PageViews.Time
    }
    struct Layer: PageModel {
        var name: String
        var users: String
        var turn: String
        var start: PageViews.Time
    }
    struct Tick: PageModel {
        var x: String
        var label: String
    }

    var person: [String: String]
    var canWrite: Bool
    var id: String
    var scheduleID: String
    var name: String
    var timeZone: String
    var onCall: String?
    var lanes: [Lane]
    var ticks: [Tick]
    var height: Int
    var shifts: [ShiftRow]
    var overrides: [Override]
    var layers: [Layer]
    var layersJSON: String
    /// The layers' editor stays open on a preview or a refusal.
    var layersOpen: Bool
    var people: [PageViews.Option]
    var preview: [ShiftRow]?
    var hasPreview: Bool
    var banner: String?
    var notice: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]
    /// The calendar feed: whether one exists and what is known of it; its address only just after
    /// it was made, since only the secret's digest is kept.
    var hasFeed: Bool
    var feedPrefix: String?
    var feedMade: PageViews.Time?
    var feedBy: String?
    var feedURL: String?

    static let days = 14

    static func build(
        _ record: ScheduleRecord, for signedIn: WebAuth.SignedIn, env: APIEnvironment, preview: Schedule? = nil,
        typedLayers: String? = nil, failure: FormFailure? = nil, notice: String? = nil, feedURL: String? = nil
    ) async throws -> SchedulePage {
        let now = env.now()
        let feed = try await env.stores.onCall.calendarFeed(schedule: record.id)
        let to = now.addingTimeInterval(Double(days) * 86_400)
        let shifts = record.schedule.shifts(from: now, to: to)
        let users = Array(Set(shifts.compactMap(\.user))).sorted()
        let span = to.timeIntervalSince(now)
        func x(_ date: Date) -> Double { max(0, min(1000, date.timeIntervalSince(now) / span * 1000)) }
        let lanes = users.enumerated().map { index, user in
            Lane(
                user: user, y: 28 + index * 30, textY: 46 + index * 30,
                bars: shifts.filter { $0.user == user }.map { shift in
                    Bar(
                        x: String(format: "%.1f", x(shift.start)), width: String(format: "%.1f", max(2, x(shift.end) - x(shift.start))),
                        label: "\(user): \(WebTime.text(shift.start)) to \(WebTime.text(shift.end))")
                })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        let current = String(decoding: try encoder.encode(record.schedule.layers), as: UTF8.self)
        let layersJSON = typedLayers ?? failure?.values["layers"] ?? current
        return SchedulePage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite, id: record.id, scheduleID: record.id, name: record.name,
            timeZone: record.timeZone,
            onCall: record.schedule.onCall(at: now), lanes: lanes,
            ticks: (0...days).filter { $0 % 2 == 0 }.map { day in
                let date = now.addingTimeInterval(Double(day) * 86_400)
                return Tick(x: String(format: "%.1f", x(date)), label: String(RFC3339.format(date).dropFirst(5).prefix(5)))
            }, height: 40 + max(users.count, 1) * 30,
            shifts: shifts.map(row),
            overrides: record.schedule.overrides.filter { $0.end > now }.map {
                Override(id: $0.id.uuidString, user: $0.user, start: .init($0.start), end: .init($0.end))
            },
            layers: record.schedule.layers.map {
                Layer(
                    name: $0.name, users: $0.users.joined(separator: " → "), turn: "\($0.shiftLength) \($0.unit.rawValue)",
                    start: .init($0.start))
            }, layersJSON: layersJSON, layersOpen: typedLayers != nil || failure?.form == "layers",
            people: try await env.stores.onCall.users().filter(\.isActive).map {
                PageViews.Option(value: $0.id, label: "\($0.name) (\($0.id))")
            },
            preview: preview.map { $0.shifts(from: now, to: to).map(row) }, hasPreview: preview != nil,
            banner: failure?.banner, notice: notice,
            errors: failure?.errors ?? [:], values: failure.map { [$0.form: $0.values] } ?? [:],
            hasFeed: feed != nil, feedPrefix: feed?.prefix, feedMade: feed.map { .init($0.createdAt) }, feedBy: feed?.createdBy,
            feedURL: feedURL)
    }

    private static func row(_ shift: Shift) -> ShiftRow {
        ShiftRow(
            user: shift.user ?? "nobody", start: .init(shift.start), end: .init(shift.end),
            length: WebTime.span(shift.end.timeIntervalSince(shift.start)))
    }
}
