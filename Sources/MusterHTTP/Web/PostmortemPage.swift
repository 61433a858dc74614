import Foundation
import MusterCore
import MusterStore

/// `/incidents/{id}/postmortem`: the post-mortem editor, a section at a time in Markdown with its
/// preview and the blameless check's findings beside it.
struct PostmortemPage: PageModel {
    struct Finding: PageModel {
        var place: String
        var excerpt: String
        var explanation: String
        var suggestion: String
    }

    struct Section: PageModel {
        var id: String
        var title: String
        var markdown: String
        var preview: String
        var findings: [Finding]
        var hasFindings: Bool
        /// Whether it is the section the incident's action items are listed under.
        var isActionItems: Bool
        var isTimeline: Bool
    }

    /// A timeline entry a responder may star into the post-mortem's timeline or out of it.
    struct Moment: PageModel {
        var entryID: String
        var at: PageViews.Time
        var line: String
        var inTimeline: Bool
    }

    struct Figure: PageModel {
        var label: String
        var value: String
        var detail: String
    }

    var person: [String: String]
    var canWrite: Bool
    var reference: String
    var title: String
    var resolved: Bool
    var exists: Bool
    var state: String?
    var editable: Bool
    var published: Bool
    var owner: String?
    var due: PageViews.Time?
    var required: Bool
    var sections: [Section]
    var openFindings: Int
    var hasOpenFindings: Bool
    var overrideReason: String?
    var figures: [Figure]
    /// The incident's action items, as the editor lists them under its Action items section.
    var actionItems: [String]
    /// The incident's timeline with each entry's place in the draft, while it is a draft.
    var moments: [Moment]
    var hasMoments: Bool
    var momentsOpen: Bool
    var priorities: [PageViews.Option]
    var notice: String?
    var failure: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static func build(
        _ key: String, for signedIn: WebAuth.SignedIn, env: APIEnvironment, notice: String? = nil, failure: FormFailure? = nil,
        momentsOpen: Bool = false
    ) async throws -> PostmortemPage {
        let service = Postmortems(env: env)
        let incident = try await service.incident(key)
        let checked = try await env.stores.learning.postmortem(ofIncident: incident.id).asyncMapped { try await service.checked($0) }
        let timeline = try await env.stores.incidents.timeline(of: incident.id)
        let figures = try await service.figures(incident, timeline: timeline)
        let now = env.now()
        let items = try await env.stores.learning.actionItems(ActionItemQuery(incidentID: incident.id))
        let postmortem = checked?.postmortem
        let retyped = failure.map { [$0.form: $0.values] } ?? [:]
        var moments: [Moment] = []
        if let draft = postmortem, draft.state == .draft, signedIn.user.role.canWrite {
            let picked = Set(
                PostmortemDraft(
                    incident: incident, timeline: timeline, figures: figures, starred: Set(draft.starred), unstarred: Set(draft.unstarred)
                ).keyMoments.map(\.id))
            // The newest entries matter least to a post-mortem; the first 500 cover any ordinary incident.
            moments = timeline.prefix(500).map {
                Moment(entryID: $0.id.uuidString, at: .init($0.at), line: PostmortemDraft.moment($0), inTimeline: picked.contains($0.id))
            }
        }
        return PostmortemPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite, reference: incident.reference, title: incident.title,
            resolved: incident.resolvedAt != nil, exists: postmortem != nil, state: postmortem?.state.rawValue,
            editable: postmortem != nil && signedIn.user.role.canWrite, published: postmortem?.state == .published,
            owner: postmortem?.owner, due: postmortem.map { PageViews.Time($0.dueAt) }, required: postmortem?.required ?? false,
            sections: (postmortem?.sections ?? []).map { section in
                let found = checked?.findings[section.id] ?? []
                let typed = retyped["section-\(section.id)"]?["body"]
                return Section(
                    id: section.id, title: section.title, markdown: typed ?? section.body, preview: MarkdownHTML.render(section.body),
                    findings: found.map {
                        Finding(
                            place: "line \($0.line), column \($0.column)", excerpt: $0.excerpt, explanation: $0.explanation,
                            suggestion: $0.suggestion)
                    }, hasFindings: !found.isEmpty, isActionItems: section.id == "action-items",
                    isTimeline: section.id == "timeline")
            },
            openFindings: checked?.count ?? 0, hasOpenFindings: (checked?.count ?? 0) > 0, overrideReason: postmortem?.override?.reason,
            figures: [
                ("Duration", figures.duration), ("Time to detect", figures.timeToDetect),
                ("Time to acknowledge", figures.timeToAcknowledge),
                ("Time to mitigate", figures.timeToMitigate), ("Time to resolve", figures.timeToResolve),
            ].map { label, span in
                Figure(
                    label: label, value: span.seconds.map { DurationText.human($0) } ?? "—",
                    detail: "\(span.fromLabel) to \(span.toLabel)" + (span.fallback.map { " (\($0))" } ?? ""))
            },
            actionItems: items.map { PageViews.actionItemLine($0, at: now) }, moments: moments, hasMoments: !moments.isEmpty,
            momentsOpen: momentsOpen,
            priorities: ActionPriority.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == .p1) },
            notice: notice, failure: failure?.banner, errors: failure?.errors ?? [:], values: retyped)
    }
}
