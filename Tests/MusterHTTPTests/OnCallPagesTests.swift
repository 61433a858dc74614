import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The on-call and schedule pages")
struct OnCallPagesTests {
    /// Ann, Bob and Cy on a daily rotation in Berlin from 2026-11-16 09:00 local: Cy is on call at the harness's start.
    func setUp(_ api: APIHarness) async throws {
        for id in ["ann", "bob", "cy"] {
            _ = try await api.write("/api/v1/users", #"{"id":"\#(id)","name":"\#(id.capitalized)","email":"\#(id)@example.com"}"#)
        }
        let schedule = try await api.write(
            "/api/v1/schedules",
            #"""
            {"id":"primary","name":"Primary","timeZone":"Europe/Berlin",
             "layers":[{"name":"daily","users":["ann","bob","cy"],"shiftLength":1,"unit":"days","start":"2026-11-16T09:00:00+01:00","timeZone":"Europe/Berlin"}]}
            """#)
        #expect(schedule.status == .created, "\(schedule.text)")
    }

    @Test("on call now names who holds each schedule and until when", arguments: PageTestBackends.pages)
    func onCallNow(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the rotation, and a viewer signed in
            try await setUp(api)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            // when she opens the on-call page and the schedule
            let page = try await vic.get("/oncall")
            let schedule = try await vic.get("/schedules/primary")
            // then Cy is on call until 09:00 Berlin the next day, Ann after her, and the schedule draws two weeks of shifts
            #expect(page.text.contains("<strong>cy</strong>") && page.text.contains(#"datetime="2026-11-19T08:00:00Z""#), "\(page.text)")
            #expect(schedule.status == .ok && schedule.text.contains("<svg class=\"shifts\""))
            #expect(schedule.text.components(separatedBy: "<rect ").count - 1 == 15, "two weeks of daily shifts, the first cut at now")
            // and, as a viewer, she is offered no form
            #expect(!schedule.text.contains("id=\"form-override\""))
        }
    }

    @Test(
        "an override is added and removed from the page, audited; layers are previewed before they are saved",
        arguments: PageTestBackends.pages)
    func editSchedule(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given the rotation and ann, a responder, signed in (UTC)
            try await setUp(api)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she takes over from now for two hours
            let added = try await ann.post(
                "/schedules/primary/overrides", [("user", "ann"), ("start", "2026-11-18T11:10"), ("end", "2026-11-18T13:10"), ("tz", "0")])
            #expect(added.status == .seeOther, "\(added.text)")
            var record = try #require(try await api.store.schedule("primary"))
            let override = try #require(record.schedule.overrides.first)
            #expect(override.user == "ann" && override.start == RFC3339.parse("2026-11-18T11:10:00Z"))
            // when the end comes before the start, the page says so beside the field
            let backwards = try await ann.post(
                "/schedules/primary/overrides", [("user", "bob"), ("start", "2026-11-18T15:00"), ("end", "2026-11-18T14:00")])
            #expect(backwards.status == .badRequest && backwards.text.contains(#"id="override-end-error""#), "\(backwards.text)")
            // when she removes hers
            #expect(try await ann.post("/schedules/primary/overrides/\(override.id.uuidString)/remove", []).status == .seeOther)
            record = try #require(try await api.store.schedule("primary"))
            #expect(record.schedule.overrides.isEmpty)
            // when she previews weekly turns instead of daily ones
            let weekly =
                #"[{"name":"weekly","users":["bob","ann"],"shiftLength":1,"unit":"weeks","start":"2026-11-16T09:00:00+01:00","timeZone":"Europe/Berlin"}]"#
            let preview = try await ann.post("/schedules/primary/layers", [("layers", weekly), ("intent", "preview")])
            // then the page shows both, and nothing is saved
            #expect(preview.status == .ok && preview.text.contains("With the new layers (not saved)"))
            #expect(try await api.store.schedule("primary")?.schedule.layers.first?.name == "daily")
            // when layers that do not parse are saved, they are refused with the reason
            let broken = try await ann.post("/schedules/primary/layers", [("layers", #"[{"name":"x"}]"#), ("intent", "save")])
            #expect(broken.status == .badRequest && broken.text.contains(#"id="layers-error""#))
            // when she saves the weekly layer
            #expect(try await ann.post("/schedules/primary/layers", [("layers", weekly), ("intent", "save")]).status == .seeOther)
            // then the schedule has it, and every change is audited with her name
            #expect(try await api.store.schedule("primary")?.schedule.layers.first?.name == "weekly")
            let audit = try await api.store.auditEvents(AuditQuery(kind: "schedule", actor: "ann")).items
            #expect(audit.count == 3, "\(audit.map(\.action))")
        }
    }
}
