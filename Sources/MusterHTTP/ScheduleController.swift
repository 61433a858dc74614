import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/schedules` and `/api/v1/oncall`: rotations, overrides, who is on call, and previews.
struct ScheduleController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var id: String
        var name: String
        var timeZone: String?
        var layers: [Rotation]
        var overrides: [ScheduleOverride]?
    }

    struct LayersRequest: Decodable { var layers: [Rotation] }
    struct EditRequest: Decodable {
        var name: String?
        var timeZone: String?
    }
    struct OverrideChange: Decodable {
        var user: String?
        var start: Date?
        var end: Date?
    }

    struct OnCallView: ResponseEncodable {
        var schedule: String
        var name: String
        var at: Date
        var user: String?
        /// The next change of hands, if one comes within 90 days.
        var next: Shift?
    }

    struct ShiftsView: ResponseEncodable {
        var from: Date
        var to: Date
        var shifts: [Shift]
    }

    struct FeedCreatedView: ResponseEncodable {
        var feed: CalendarFeed
        /// Shown once; only its digest is kept.
        var secret: String
        /// What a calendar app subscribes to.
        var url: String
    }

    struct PreviewView: ResponseEncodable {
        var from: Date
        var to: Date
        var current: [Shift]
        var proposed: [Shift]
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("schedules") { request, _ -> EditedResponse<ScheduleRecord> in
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let record = try ScheduleRecord(
                id: body.id, name: body.name, timeZone: body.timeZone ?? "UTC",
                schedule: Schedule(layers: body.layers, overrides: body.overrides ?? []), createdAt: env.now())
            return EditedResponse(status: .created, response: try await env.stores.onCall.createSchedule(record))
        }
        group.get("schedules") { request, _ -> ListEnvelope<ScheduleRecord> in
            try ListEnvelope(paging: try await env.stores.onCall.schedules(), request)
        }
        group.get("schedules/:id") { _, context -> ScheduleRecord in try await load(context) }
        group.patch("schedules/:id") { request, context -> ScheduleRecord in
            let body = try await APICoding.decode(EditRequest.self, from: request, limit: env.maxBodyBytes)
            return try await env.stores.onCall.editSchedule(
                try context.parameters.require("id"), name: body.name, timeZone: body.timeZone, at: env.now())
        }
        group.delete("schedules/:id") { _, context -> HTTPResponse.Status in
            try await env.stores.onCall.deleteSchedule(try context.parameters.require("id"))
            return .noContent
        }
        group.get("schedules/:id/overrides") { request, context -> ListEnvelope<ScheduleOverride> in
            try ListEnvelope(paging: try await load(context).schedule.overrides, request)
        }
        group.patch("schedules/:id/overrides/:override") { request, context -> ScheduleRecord in
            let body = try await APICoding.decode(OverrideChange.self, from: request, limit: env.maxBodyBytes)
            guard body.user != nil || body.start != nil || body.end != nil else {
                throw Problem.invalid("user", "Give 'user', 'start' or 'end' to change.")
            }
            return try await env.stores.onCall.changeOverride(
                try overrideID(context), of: try context.parameters.require("id"), user: body.user, start: body.start, end: body.end,
                at: env.now())
        }
        group.delete("schedules/:id/overrides/:override") { _, context -> ScheduleRecord in
            try await env.stores.onCall.removeOverride(try overrideID(context), of: try context.parameters.require("id"), at: env.now())
        }
        group.put("schedules/:id/layers") { request, context -> ScheduleRecord in
            let body = try await APICoding.decode(LayersRequest.self, from: request, limit: env.maxBodyBytes)
            let layers = body.layers
            return try await env.stores.onCall.updateSchedule(try context.parameters.require("id"), at: env.now()) { $0.layers = layers }
        }
        group.post("schedules/:id/overrides") { request, context -> EditedResponse<ScheduleRecord> in
            let override = try await APICoding.decode(ScheduleOverride.self, from: request, limit: env.maxBodyBytes)
            let record = try await env.stores.onCall.updateSchedule(try context.parameters.require("id"), at: env.now()) { schedule in
                schedule.overrides.append(override)
            }
            return EditedResponse(status: .created, response: record)
        }
        group.get("schedules/:id/oncall") { request, context -> OnCallView in
            let record = try await load(context)
            let at = try date(request, "at") ?? env.now()
            return view(record, at: at)
        }
        group.get("schedules/:id/shifts") { request, context -> ShiftsView in
            let record = try await load(context)
            let (from, to) = try range(request)
            return ShiftsView(from: from, to: to, shifts: record.schedule.shifts(from: from, to: to))
        }
        group.post("schedules/:id/preview") { request, context -> PreviewView in
            let record = try await load(context)
            let body = try await APICoding.decode(LayersRequest.self, from: request, limit: env.maxBodyBytes)
            let (from, to) = try range(request)
            let proposed = Schedule(layers: body.layers, overrides: record.schedule.overrides)
            return PreviewView(
                from: from, to: to, current: record.schedule.shifts(from: from, to: to), proposed: proposed.shifts(from: from, to: to))
        }
        group.get("schedules/:id/handoff") { request, context -> HandoffSummary in
            let id = try context.parameters.require("id")
            let at = try date(request, "at") ?? env.now()
            guard let summary = try await env.stores.onCall.handoffSummary(schedule: id, at: at) else {
                throw Problem.notFound("No schedule '\(id.prefix(80))'.")
            }
            return summary
        }
        group.get("schedules/:id/handoffs") { request, context -> ListEnvelope<HandoffRecord> in
            let record = try await load(context)
            // The newest 500 are kept within reach; older handoffs stay in the database.
            return try ListEnvelope(
                paging: try await env.stores.onCall.handoffs(schedule: record.id, limit: 500), request, defaultLimit: 50, maxLimit: 500)
        }
        group.post("schedules/:id/feed") { _, context -> EditedResponse<FeedCreatedView> in
            let caller = try context.writer()
            let id = try context.parameters.require("id")
            let (feed, secret) = try await env.stores.onCall.rotateCalendarFeed(schedule: id, by: caller.name, at: env.now())
            let url = "\(env.publicURL)/calendars/\(Self.escaped(id)).ics?secret=\(secret)"
            return EditedResponse(status: .created, response: FeedCreatedView(feed: feed, secret: secret, url: url))
        }
        group.get("schedules/:id/feed") { _, context -> CalendarFeed in
            let record = try await load(context)
            guard let feed = try await env.stores.onCall.calendarFeed(schedule: record.id) else {
                throw Problem.notFound("The schedule '\(record.id)' has no calendar feed; create one with POST.")
            }
            return feed
        }
        group.delete("schedules/:id/feed") { _, context -> CalendarFeed in
            _ = try context.writer()
            return try await env.stores.onCall.revokeCalendarFeed(schedule: try context.parameters.require("id"))
        }
        group.get("oncall") { request, _ -> ListEnvelope<OnCallView> in
            let now = env.now()
            return try ListEnvelope(paging: try await env.stores.onCall.schedules().map { view($0, at: now) }, request)
        }
    }

    /// The calendar feed lives outside `/api` because calendar apps cannot send headers: the
    /// schedule's own feed secret comes as `?secret=`. An API token is never accepted there,
    /// since a URL ends up in calendar apps' settings, logs and shared calendars.
    func addFeed(to router: Router<MusterRequestContext>) {
        router.get("calendars/:id") { request, context -> Response in
            var id = try context.parameters.require("id")
            if id.hasSuffix(".ics") { id.removeLast(4) }
            // One answer for an unknown schedule and a wrong secret: the URL tells nothing of which exist.
            guard let secret = request.uri.queryParameters.get("secret"),
                let record = try await env.stores.onCall.schedule(id: id, feedSecret: String(secret))
            else {
                throw Problem.unauthorized(
                    "This calendar URL needs its schedule's feed secret as '?secret='; make one with 'muster schedule feed SCHEDULE'.")
            }
            let now = env.now()
            let shifts = record.schedule.shifts(from: now.addingTimeInterval(-7 * 86_400), to: now.addingTimeInterval(90 * 86_400))
            let text = ICalendar.feed(name: record.name, scheduleID: record.id, shifts: shifts, generatedAt: now)
            return Response(
                status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// A schedule id as a URL path segment.
    static func escaped(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
    }

    private func overrideID(_ context: MusterRequestContext) throws -> UUID {
        let text = try context.parameters.require("override")
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("No override '\(text.prefix(60))'.") }
        return id
    }

    private func load(_ context: MusterRequestContext) async throws -> ScheduleRecord {
        let id = try context.parameters.require("id")
        guard let record = try await env.stores.onCall.schedule(id) else { throw Problem.notFound("No schedule '\(id.prefix(80))'.") }
        return record
    }

    private func view(_ record: ScheduleRecord, at date: Date) -> OnCallView {
        OnCallView(
            schedule: record.id, name: record.name, at: date, user: record.schedule.onCall(at: date),
            next: record.schedule.nextHandoff(after: date))
    }

    private func date(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = APICoding.parseDate(text) else {
            throw Problem.invalid(name, "'\(name)' must be an RFC 3339 date-time such as 2026-11-22T09:30:00Z.")
        }
        return date
    }

    /// `from` (default now) and `to` (default two weeks later), at most a year apart.
    private func range(_ request: Request) throws -> (Date, Date) {
        let from = try date(request, "from") ?? env.now()
        let to = try date(request, "to") ?? from.addingTimeInterval(14 * 86_400)
        guard to > from else { throw Problem.invalid("to", "'to' must be later than 'from'.") }
        guard to.timeIntervalSince(from) <= 366 * 86_400 else { throw Problem.invalid("to", "The range may span at most 366 days.") }
        return (from, to)
    }
}

extension ScheduleRecord: ResponseEncodable {}
extension ScheduleOverride: ResponseEncodable {}
extension HandoffSummary: ResponseEncodable {}
extension HandoffRecord: ResponseEncodable {}
extension CalendarFeed: ResponseEncodable {}
