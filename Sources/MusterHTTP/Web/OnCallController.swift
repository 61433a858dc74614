import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/oncall` and `/schedules/{id}`: who is on call, a schedule's next two weeks, its overrides,
/// and its layers edited with a preview of the shifts before they are saved.
struct OnCallController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("oncall") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done").flatMap { OnCallPage.notices[$0] }
            return pages.page("oncall", try await OnCallPage.build(for: signedIn, env: env, notice: notice))
        }
        router.get("schedules/:id") { request, context -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let id = try context.parameters.require("id")
            guard let record = try await env.stores.onCall.schedule(id) else {
                return pages.page("missing", ["person": signedIn.view, "what": "No schedule '\(id.prefix(80))'"], status: .notFound)
            }
            let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }
            return pages.page("schedule", try await SchedulePage.build(record, for: signedIn, env: env, notice: notice))
        }
        router.post("schedules/:id/overrides") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await run(request, id, form: "override", fields: ["user", "start", "end"]) { form, signedIn in
                guard let start = try form.time("start") else { throw Problem.invalid("start", "Say when the override starts.") }
                guard let end = try form.time("end") else { throw Problem.invalid("end", "Say when the override ends.") }
                let override = try ScheduleOverride(user: try form.required("user", "The person"), start: start, end: end)
                _ = try await env.stores.onCall.updateSchedule(id, at: env.now()) { $0.overrides.append(override) }
                return "override"
            }
        }
        router.post("schedules/:id/overrides/:override/remove") { request, context -> Response in
            let id = try context.parameters.require("id")
            let text = try context.parameters.require("override")
            return try await run(request, id, form: "remove", fields: []) { _, _ in
                guard let overrideID = UUID(uuidString: text) else { throw Problem.notFound("No override '\(text.prefix(40))'.") }
                _ = try await env.stores.onCall.removeOverride(overrideID, of: id, at: env.now())
                return "removed"
            }
        }
        router.post("schedules/:id/edit") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await run(request, id, form: "details", fields: ["name", "timeZone"]) { form, _ in
                _ = try await env.stores.onCall.editSchedule(
                    id, name: try form.required("name", "The name"), timeZone: try form.required("timeZone", "The time zone"), at: env.now())
                return "details"
            }
        }
        router.post("schedules/:id/feed") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(request, form: "feed", fields: [], back: "/schedules/\(id)") { _, signedIn in
                let (_, secret) = try await env.stores.onCall.rotateCalendarFeed(schedule: id, by: signedIn.user.id, at: env.now())
                try await PageAudit(env: env).record(signedIn, "POST /schedules/{id}/feed", kind: "schedule", subject: id, before: nil)
                guard let record = try await env.stores.onCall.schedule(id) else { throw Problem.notFound("No schedule '\(id.prefix(80))'.") }
                let url = "\(env.publicURL)/calendars/\(ScheduleController.escaped(id)).ics?secret=\(secret)"
                let page = try await SchedulePage.build(record, for: signedIn, env: env, feedURL: url)
                return .page(pages.page("schedule", page, status: .created))
            } refused: { signedIn, failure in
                try await refusedPage(id, signedIn, failure)
            }
        }
        router.post("schedules/:id/feed/revoke") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await run(request, id, form: "feed-revoke", fields: []) { _, _ in
                _ = try await env.stores.onCall.revokeCalendarFeed(schedule: id)
                return "feed-revoked"
            }
        }
        router.post("schedules/:id/delete") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(request, form: "delete", fields: [], back: "/schedules/\(id)") { _, signedIn in
                let before = try await PageAudit(env: env).snapshot("schedule", id)
                try await env.stores.onCall.deleteSchedule(id)
                try await PageAudit(env: env).record(signedIn, "POST /schedules/{id}/delete", kind: "schedule", subject: id, before: before)
                return .redirect("/oncall?done=schedule-removed")
            } refused: { signedIn, failure in
                try await refusedPage(id, signedIn, failure)
            }
        }
        router.post("schedules/:id/layers") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await PageFormRunner(env: env).run(request, form: "layers", fields: ["layers", "intent"], back: "/schedules/\(id)") {
                form, signedIn in
                let layers = try Self.layers(form.fields["layers"] ?? "")
                guard let record = try await env.stores.onCall.schedule(id) else {
                    throw Problem.notFound("No schedule '\(id.prefix(80))'.")
                }
                guard form.text("intent") == "save" else {
                    // The preview: the shifts the new layers would make, beside today's, nothing saved.
                    let page = try await SchedulePage.build(
                        record, for: signedIn, env: env, preview: Schedule(layers: layers, overrides: record.schedule.overrides),
                        typedLayers: form.fields["layers"])
                    return .page(pages.page("schedule", page))
                }
                let before = try await PageAudit(env: env).snapshot("schedule", id)
                _ = try await env.stores.onCall.updateSchedule(id, at: env.now()) { $0.layers = layers }
                try await PageAudit(env: env).record(signedIn, "POST /schedules/{id}/layers", kind: "schedule", subject: id, before: before)
                return .redirect("/schedules/\(id)?done=layers")
            } refused: { signedIn, failure in
                try await refusedPage(id, signedIn, failure)
            }
        }
    }

    static let notices = [
        "override": "The override was added.", "removed": "The override was removed.", "layers": "The layers were saved.",
        "created": "The schedule was made. Add more layers, or overrides, below.", "details": "The schedule was saved.",
        "feed-revoked": "The calendar feed was revoked; its address no longer works.",
    ]

    /// The layers in a form's JSON, as the API reads them.
    static func layers(_ text: String) throws -> [Rotation] {
        do {
            return try APICoding.decoder.decode([Rotation].self, from: Data(text.utf8))
        } catch let error as IncidentError {
            throw error
        } catch let error as DecodingError {
            throw Problem.invalid("layers", "The layers are not valid: \(APICoding.problem(for: error).detail)")
        } catch {
            throw Problem.invalid("layers", "The layers must be a JSON list of rotations.")
        }
    }

    private func run(
        _ request: Request, _ id: String, form name: String, fields: Set<String>,
        perform: @escaping @Sendable (WebForm, WebAuth.SignedIn) async throws -> String
    ) async throws -> Response {
        try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: "/schedules/\(id)") { form, signedIn in
            let before = try await PageAudit(env: env).snapshot("schedule", id)
            let done = try await perform(form, signedIn)
            try await PageAudit(env: env).record(signedIn, "POST /schedules/{id}/\(name)", kind: "schedule", subject: id, before: before)
            return .redirect("/schedules/\(id)?done=\(done)")
        } refused: { signedIn, failure in
            try await refusedPage(id, signedIn, failure)
        }
    }

    private func refusedPage(_ id: String, _ signedIn: WebAuth.SignedIn, _ failure: FormFailure) async throws -> Response {
        guard let record = try await env.stores.onCall.schedule(id) else { throw Problem.notFound("No schedule '\(id.prefix(80))'.") }
        return pages.page(
            "schedule", try await SchedulePage.build(record, for: signedIn, env: env, failure: failure), status: failure.status)
    }
}
