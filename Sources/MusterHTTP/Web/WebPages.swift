import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the pages from the compiled-in templates, and answers with the headers every page has.
struct WebPages: Sendable {
    let library: MustacheLibrary

    init() {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in WebResources.templates {
            // The templates ship with the binary and a test renders each: one that does not parse is a build defect.
            templates[name] = try! MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
    }

    /// A page: HTML, never cached, framed by no one, and allowed to load only Muster's own files.
    func page(_ template: String, _ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(object, withTemplate: template) ?? ""
        return Response(
            status: status, headers: Self.headers(contentType: "text/html; charset=utf-8"),
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A redirect after a form, to `location`, with the page headers.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = headers(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static func headers(contentType: String) -> HTTPFields {
        [
            .contentType: contentType, .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            .xContentTypeOptions: "nosniff", .referrerPolicy: "same-origin",
        ]
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
