import Foundation
import Hummingbird
import MusterCore

/// Bodies the incident action endpoints accept.
/// `at`, where a body takes it, is when the thing happened, for a responder recording it afterwards.
enum IncidentRequests {
    struct Note: Decodable {
        var note: String?
        var at: Date?
    }
    struct Acknowledge: Decodable {
        var note: String?
        /// Paging starts over if the incident is still only acknowledged after this long.
        var timeoutMinutes: Int?
        var at: Date?
    }
    struct Status: Decodable {
        var status: IncidentStatus
        var note: String?
        var at: Date?
        /// For a move to resolved: as `Resolve.force`.
        var force: String?
    }
    struct SeverityChange: Decodable {
        var severity: String
        var reason: String?
    }
    struct Role: Decodable {
        var role: IncidentRole
        var assignee: String
        /// The assignee is a person outside Muster, named in free text.
        var outside: Bool?
        var at: Date?
    }
    struct Timeline: Decodable {
        var kind: TimelineKind
        var text: String
        var state: HypothesisState?
        var result: ActionResult?
        /// For actions: the mitigation it is, and what it was applied to.
        var mitigation: MitigationKind?
        var target: String?
        /// For a succeeded action: move the incident to monitoring as mitigated.
        var markMitigated: Bool?
        /// For an action with a mitigation kind: call the hook configured for that kind.
        var runHook: Bool?
        var at: Date?
    }
    struct HypothesisUpdate: Decodable { var state: HypothesisState }
    struct Resolve: Decodable {
        var resolution: String?
        var rootCause: String?
        var at: Date?
        /// What the resolved update on the status page says, for an incident published there.
        var publicUpdate: String?
        /// Why it is resolved although resolution checklist items are open or the stability
        /// window is not over; required only then.
        var force: String?
    }
    struct Reopen: Decodable { var reason: String }
    struct Update: Decodable {
        var audience: UpdateAudience
        var phase: UpdatePhase
        /// What is being done now; the template puts it in its place.
        var text: String?
        var nextUpdateAt: Date?
        /// The next update as a span from now, such as `30m`, instead of `nextUpdateAt`.
        var nextUpdateIn: String?
        /// False to publish `text` as it is.
        var template: Bool?
    }
    struct Reassign: Decodable {
        var users: [String]?
        var schedules: [String]?
        var policy: String?
        var note: String?
    }
}

/// An incident as the API shows it: the record plus its response targets at the time of the request.
struct IncidentView: Encodable, Sendable {
    var incident: Incident
    var targets: ResponseTargets?
    /// When its next internal and external updates are due.
    var updateClocks: [UpdateClock]
    /// How a mitigation hook the request called answered.
    var hook: MitigationHookAnswer?

    init(_ incident: Incident, scheme: SeverityScheme, now: Date) {
        self.incident = incident
        let level = try? scheme.level(named: incident.severity)
        targets = level.map { ResponseTargets(incident: incident, severity: $0, now: now) }
        updateClocks = level.map { incident.updateClocks(severity: $0, now: now) } ?? []
    }

    enum CodingKeys: String, CodingKey { case targets, updateClocks, hook }

    func encode(to encoder: any Encoder) throws {
        try incident.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(targets, forKey: .targets)
        try container.encode(updateClocks, forKey: .updateClocks)
        try container.encodeIfPresent(hook, forKey: .hook)
    }
}

/// A status update as written: previewed, or published with the incident after it.
struct UpdateView: ResponseEncodable {
    var body: String
    var nextUpdateAt: Date?
    var preview: Bool
    var incident: IncidentView?
}

/// An incident with its timeline, for the detail endpoint.
struct IncidentDetailView: Encodable, Sendable {
    var incident: IncidentView
    var timeline: [TimelineEntry]
}

/// A page of incidents.
struct IncidentPageView: Encodable, Sendable {
    var items: [IncidentView]
    var total: Int
    var limit: Int
    var offset: Int
}
