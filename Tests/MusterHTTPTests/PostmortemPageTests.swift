import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The post-mortem editor")
struct PostmortemPageTests {
    @Test(
        "a responder drafts, edits a section and sees the finding, is asked for a reason to publish over it, and publishes",
        arguments: PageTestBackends.pages)
    func editor(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a resolved incident, ann a responder and vic a viewer
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1"}"#)
            api.clock.advance(by: 600)
            _ = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back"}"#)
            let empty = try await ann.get("/incidents/\(reference)/postmortem")
            #expect(empty.status == .ok && empty.text.contains("Draft the post-mortem") && empty.text.contains("Time to resolve"))
            // when she drafts it
            let drafted = try await ann.post("/incidents/\(reference)/postmortem", [])
            #expect(
                drafted.status == .seeOther && drafted.headers[.location] == "/incidents/\(reference)/postmortem?done=drafted",
                "\(drafted.text)")
            // and writes a section that blames someone
            let saved = try await ann.post(
                "/incidents/\(reference)/postmortem/sections/what-could-be-improved", [("body", "The on-call engineer ignored the alert.")])
            #expect(saved.status == .seeOther, "\(saved.text)")
            // then the page shows the section, its preview and the finding beside it
            let page = try await ann.get("/incidents/\(reference)/postmortem?done=saved")
            #expect(page.text.contains("The section was saved.") && page.text.contains("open finding"))
            #expect(
                page.text.contains("“ignored”") || page.text.contains("&#8220;ignored&#8221;") || page.text.contains("ignored</strong>"),
                "\(page.text)")
            // when she adds an action item from the editor, she comes back to it and it is listed
            let added = try await ann.post(
                "/actions",
                [
                    ("title", "Alert on pool use"), ("owner", "ann"), ("priority", "P0"), ("incident", reference),
                    ("back", "/incidents/\(reference)/postmortem"),
                ])
            #expect(added.headers[.location] == "/incidents/\(reference)/postmortem?done=item#section-action-items", "\(added.status)")
            #expect(try await ann.get("/incidents/\(reference)/postmortem").text.contains("[P0, open] Alert on pool use · ann"))
            let elsewhere = try await ann.post(
                "/actions", [("title", "x"), ("owner", "ann"), ("priority", "P1"), ("back", "https://evil.example/")])
            #expect(elsewhere.headers[.location] == "/actions?done=saved")
            // when she publishes without a reason, she is asked for one beside the field
            let refused = try await ann.post("/incidents/\(reference)/postmortem/publish", [])
            #expect(refused.status == .badRequest && refused.text.contains(#"id="override-error""#), "\(refused.text)")
            // and with one, it is published
            let published = try await ann.post("/incidents/\(reference)/postmortem/publish", [("override", "Quoted from the chat")])
            #expect(published.status == .seeOther, "\(published.text)")
            let incident = try #require(try await api.store.incident(reference))
            let postmortem = try #require(try await api.store.postmortem(ofIncident: incident.id))
            #expect(postmortem.state == .published && postmortem.override?.reason == "Quoted from the chat")
            // and it downloads as Markdown from the page
            let markdown = try await vic.get("/incidents/\(reference)/postmortem/export?format=md")
            #expect(markdown.headers[.contentType]?.hasPrefix("text/markdown") == true && markdown.text.contains("ignored the alert"))
            // and the viewer reads it without a form
            let viewed = try await vic.get("/incidents/\(reference)/postmortem")
            #expect(viewed.text.contains("ignored the alert") && !viewed.text.contains("name=\"body\""))
        }
    }

    @Test("a responder stars a note into the draft's timeline and unstars it again", arguments: PageTestBackends.pages)
    func keyMoments(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a resolved incident with a plain note, and its draft
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1"}"#)
            let note = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"note","text":"Saw the pool graph flatten"}"#)
            #expect(note.status == .created, "\(note.text)")
            let incident = try #require(try await api.store.incident(reference))
            let entry = try #require(try await api.store.timeline(of: incident.id).first { $0.text == "Saw the pool graph flatten" }).id.uuidString
            _ = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back"}"#)
            _ = try await ann.post("/incidents/\(reference)/postmortem", [])
            let draft = try await ann.get("/incidents/\(reference)/postmortem")
            #expect(draft.text.contains("Choose the key moments") && draft.text.contains("Add to the timeline: Saw the pool graph flatten"))
            // when she stars the note
            let starred = try await ann.post("/incidents/\(reference)/postmortem/starred/\(entry)", [("on", "true")])
            // then it is in the timeline section, and the list says so
            #expect(starred.headers[.location] == "/incidents/\(reference)/postmortem?done=starred#key-moments", "\(starred.text)")
            var postmortem = try #require(try await api.store.postmortem(ofIncident: incident.id))
            #expect(postmortem.sections.first { $0.id == "timeline" }?.body.contains("Saw the pool graph flatten") == true)
            let after = try await ann.get("/incidents/\(reference)/postmortem?done=starred")
            #expect(after.text.contains("Leave out of the timeline: Saw the pool graph flatten") && after.text.contains(#"id="key-moments" open"#))
            // when she unstars it, it leaves the timeline again
            _ = try await ann.post("/incidents/\(reference)/postmortem/starred/\(entry)", [("on", "false")])
            postmortem = try #require(try await api.store.postmortem(ofIncident: incident.id))
            #expect(postmortem.sections.first { $0.id == "timeline" }?.body.contains("Saw the pool graph flatten") == false)
            // and a value that is not true or false is refused
            let bad = try await ann.post("/incidents/\(reference)/postmortem/starred/\(entry)", [("on", "maybe")])
            #expect(bad.status == .badRequest)
        }
    }
}
