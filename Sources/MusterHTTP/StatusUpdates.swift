import Foundation
import MusterCore
import MusterStore

/// Writing and publishing status updates, for the API, the CLI and the incident page alike.
struct StatusUpdates {
    let env: APIEnvironment

    /// What a responder asks for: the audience and phase, what is being done, and when the next
    /// update will come (by default, the soonest cadence of the audiences it reaches).
    struct Request: Sendable {
        var audience: UpdateAudience
        var phase: UpdatePhase
        var text: String?
        var nextUpdateAt: Date?
        /// False to publish `text` as it is, without a template.
        var useTemplate = true
    }

    /// An update written and, unless previewed, published.
    struct Written: Sendable {
        var body: String
        var nextUpdateAt: Date?
        /// The incident after publishing; nil for a preview.
        var incident: Incident?
    }

    /// The update `request` makes for incident `key`: previewed (nothing kept) or published as
    /// `author`, which records an `update_published` entry and moves the update clocks.
    func write(_ key: String, _ request: Request, author: String, preview: Bool) async throws -> Written {
        guard let incident = try await env.stores.incidents.incident(key) else {
            throw Problem.notFound("No incident '\(key.prefix(120))'.")
        }
        let now = env.now()
        let next = request.nextUpdateAt ?? defaultNext(incident, audience: request.audience, now: now)
        let body =
            request.useTemplate
            ? env.updateTemplates.render(
                incident, audience: request.audience, phase: request.phase, text: request.text, next: next, now: now)
            : (request.text ?? "")
        guard !preview else { return Written(body: body, nextUpdateAt: next, incident: nil) }
        let audience = request.audience
        let phase = request.phase
        let page = audience.reachesExternal ? try await PageComponents.load(env) : PageComponents(components: [], rollup: nil)
        let updated = try await IncidentUpdates(env: env).apply(key, author: author) { incident, author, at in
            [
                try incident.publishUpdate(
                    audience: audience, phase: phase, body: body, nextUpdateAt: next, components: page.affected(by: incident, phase: phase),
                    by: author, at: at)
            ]
        }
        return Written(body: body, nextUpdateAt: next, incident: updated)
    }

    /// Now plus the shortest cadence of the audiences an update reaches, under the incident's severity.
    private func defaultNext(_ incident: Incident, audience: UpdateAudience, now: Date) -> Date? {
        guard incident.status.isOpen, let level = try? env.scheme.level(named: incident.severity) else { return nil }
        let cadences = [
            audience.reachesInternal ? level.internalUpdateSeconds : nil, audience.reachesExternal ? level.externalUpdateSeconds : nil,
        ]
        return cadences.compactMap { $0 }.min().map { now.addingTimeInterval(Double($0)) }
    }
}

/// The status page's components, to record in an update customers read which of them it concerns.
struct PageComponents: Sendable {
    var components: [StatusComponent]
    var rollup: StatusRollup?

    static func load(_ env: APIEnvironment) async throws -> PageComponents {
        let settings = try await env.stores.statusPage.statusPageSettings()
        return PageComponents(
            components: try await env.stores.statusPage.statusComponents(),
            rollup: settings?.rollup(for: env.scheme) ?? .standard(for: env.scheme))
    }

    /// The components on the incident's services, with the status the update gives them:
    /// operational once resolved, else the one its severity maps to.
    func affected(by incident: Incident, phase: UpdatePhase) -> [(String, ComponentStatus)] {
        guard let rollup else { return [] }
        return components.filter { $0.services.contains(where: incident.services.contains) }.map { component in
            (component.id, phase == .resolved ? .operational : rollup.status(ofSeverity: incident.severity))
        }
    }
}
