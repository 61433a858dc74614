import Foundation
import Mustache
import MusterCore

/// The templates status updates are written from, one per audience and phase, filled from the
/// incident. Internal updates tell responders and stakeholders everything; external ones tell
/// customers what they see and when they will hear more, in plain words. An update to both
/// audiences is written from the external template, since customers read it too.
public struct UpdateTemplates: Sendable {
    private let library: MustacheLibrary

    static let defaults: [String: String] = [
        "internal": """
        {{reference}} {{severity}} · {{phaseLabel}} · {{time}}
        {{{title}}}
        Services: {{{services}}}
        Impact: {{{impact}}}
        {{#text}}Now: {{{text}}}
        {{/text}}{{#commander}}Incident commander: {{{commander}}}
        {{/commander}}{{#channel}}Channel: {{{channel}}}
        {{/channel}}{{#bridge}}Bridge: {{{bridge}}}
        {{/bridge}}Next update: {{next}}
        """,
        "external-investigating": """
        We are looking into a problem with {{{servicesOrProduct}}}. {{{text}}}
        We will post another update by {{next}}.
        """,
        "external-identified": """
        We have found what is causing the problem with {{{servicesOrProduct}}} and are working on a fix. {{{text}}}
        We will post another update by {{next}}.
        """,
        "external-monitoring": """
        A fix is in place for the problem with {{{servicesOrProduct}}}, and we are watching to make sure it holds. {{{text}}}
        We will post another update by {{next}}.
        """,
        "external-resolved": """
        The problem with {{{servicesOrProduct}}} is resolved. {{{text}}}
        Thank you for your patience.
        """,
    ]

    /// The shipped templates, with `overrides` in place of those it names.
    public init(overrides: [String: String] = [:]) throws {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in Self.defaults.merging(overrides, uniquingKeysWith: { _, new in new }) {
            templates[name] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
    }

    /// `templates` if each names a shipped template and parses; else an error naming the first
    /// that does not, under `key`.
    public static func check(_ templates: [String: String], key: String) throws -> [String: String] {
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            guard defaults[name] != nil else {
                throw TemplateError(
                    key: "\(key).\(name)", reason: "is not a template; the templates are \(defaults.keys.sorted().joined(separator: ", "))."
                )
            }
            do {
                _ = try MustacheTemplate(string: text)
            } catch {
                throw TemplateError(key: "\(key).\(name)", reason: "does not parse as a Mustache template: \(error).")
            }
        }
        return templates
    }

    /// A template the configuration names wrongly.
    public struct TemplateError: Error, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { "\(key) \(reason)" }
    }

    /// The body of an update to `audience` in `phase`, with `text` as what is being done now.
    func render(
        _ incident: Incident, audience: UpdateAudience, phase: UpdatePhase, text: String?, next: Date?, now: Date
    ) -> String {
        let name = audience == .internal ? "internal" : "external-\(phase.rawValue)"
        let services = incident.services.joined(separator: ", ")
        var context: [String: Any] = [
            "reference": incident.reference, "title": incident.title, "severity": incident.severity,
            "phaseLabel": phase.rawValue.capitalized, "time": WebTime.text(now), "services": services.isEmpty ? "none named" : services,
            "servicesOrProduct": services.isEmpty ? "our service" : services, "impact": incident.impact.words,
            "next": next.map(WebTime.text) ?? "when there is news",
        ]
        // Mustache takes an empty text as true: what is missing is left out instead.
        let optional = [
            "text": text, "commander": incident.holders(of: .commander).first, "channel": incident.channel, "bridge": incident.bridge,
        ]
        for (name, value) in optional {
            if let value, !value.isEmpty { context[name] = value }
        }
        let rendered = library.render(context, withTemplate: name) ?? ""
        return rendered.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
