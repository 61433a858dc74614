import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/incidents/{id}/postmortem` and `/api/v1/incidents/{id}/figures`: an incident's figures,
/// and its post-mortem drafted, edited with the blameless check, starred, submitted, published
/// and exported.
struct PostmortemController {
    let env: APIEnvironment

    struct CreateRequest: Decodable { var owner: String? }
    struct SectionRequest: Decodable {
        var body: String
        /// Why, for a correction to a published post-mortem.
        var note: String?
    }
    struct SubmitRequest: Decodable { var reviewers: [String]? }
    struct PublishRequest: Decodable { var override: String? }
    struct StarRequest: Decodable { var starred: Bool }

    /// The post-mortem as the API answers it: the document, its findings and their count.
    struct View: ResponseEncodable {
        var checked: Postmortems.Checked

        enum CodingKeys: String, CodingKey { case findings, openFindings }

        func encode(to encoder: any Encoder) throws {
            try checked.postmortem.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(checked.findings, forKey: .findings)
            try container.encode(checked.count, forKey: .openFindings)
        }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        let service = Postmortems(env: env)
        group.get("incidents/:id/figures") { _, context -> IncidentFigures in
            try await service.figures(try await service.incident(try context.parameters.require("id")))
        }
        group.post("incidents/:id/postmortem") { request, context -> EditedResponse<View> in
            let author = try context.writer().name
            let body = try await APICoding.decodeIfPresent(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let created = try await service.create(try context.parameters.require("id"), owner: body?.owner, by: author)
            return EditedResponse(status: .created, response: View(checked: created))
        }
        group.get("incidents/:id/postmortem") { _, context -> View in
            View(checked: try await service.checked(try await service.existing(try context.parameters.require("id"))))
        }
        group.put("incidents/:id/postmortem/sections/:section") { request, context -> View in
            let author = try context.writer().name
            let body = try await APICoding.decode(SectionRequest.self, from: request, limit: env.maxBodyBytes)
            let section = try context.parameters.require("section")
            let now = env.now()
            return View(
                checked: try await service.update(try context.parameters.require("id")) {
                    try $0.edit(section: section, body: body.body, note: body.note, by: author, at: now)
                })
        }
        group.put("incidents/:id/postmortem/starred/:entry") { request, context -> View in
            _ = try context.writer()
            let body = try await APICoding.decode(StarRequest.self, from: request, limit: env.maxBodyBytes)
            guard let entry = UUID(uuidString: try context.parameters.require("entry")) else {
                throw Problem.notFound("No timeline entry '\(context.parameters.get("entry")?.prefix(60) ?? "")'.")
            }
            return View(checked: try await service.star(try context.parameters.require("id"), entry: entry, body.starred))
        }
        group.post("incidents/:id/postmortem/submit") { request, context -> View in
            _ = try context.writer()
            let body = try await APICoding.decodeIfPresent(SubmitRequest.self, from: request, limit: env.maxBodyBytes)
            let reviewers = body?.reviewers ?? []
            for reviewer in reviewers where try await env.stores.onCall.user(reviewer) == nil {
                throw Problem.invalid("reviewers", "'reviewers' names '\(reviewer.prefix(60))', who is not a user.")
            }
            let now = env.now()
            return View(
                checked: try await service.update(try context.parameters.require("id")) { try $0.submit(reviewers: reviewers, at: now) })
        }
        group.post("incidents/:id/postmortem/publish") { request, context -> View in
            let author = try context.writer().name
            let body = try await APICoding.decodeIfPresent(PublishRequest.self, from: request, limit: env.maxBodyBytes)
            return View(checked: try await service.publish(try context.parameters.require("id"), override: body?.override, by: author))
        }
        group.get("incidents/:id/postmortem/export") { request, context -> Response in
            return try await service.export(try context.parameters.require("id"), format: request.uri.queryParameters.get("format") ?? "md")
        }
    }

    /// The post-mortem and its action items as Markdown (`md`) or as an HTML page (`html`).
    static func export(_ postmortem: Postmortem, items: [ActionItem], format: String) throws -> Response {
        let markdown = postmortem.markdown(actionItems: items)
        switch format {
        case "md", "markdown":
            return text(markdown, type: "text/markdown; charset=utf-8", name: "\(postmortem.incidentReference).md")
        case "html":
            let page = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Post-mortem: \(MarkdownHTML.escape(postmortem.title))</title></head>
                <body>
                \(MarkdownHTML.render(markdown))</body></html>

                """
            return text(page, type: "text/html; charset=utf-8", name: "\(postmortem.incidentReference).html")
        default:
            throw Problem.invalid("format", "'format' must be md or html; got '\(format.prefix(20))'.")
        }
    }

    static func text(_ text: String, type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "inline; filename=\"\(name)\"",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension IncidentFigures: ResponseEncodable {}
