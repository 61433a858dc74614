import Foundation

/// The sections a post-mortem is written in, each with the question it answers. The standard one
/// follows the process Muster implements; a team may configure its own. Sections with the
/// standard ids are drafted from the incident's record; others start from their prompt.
public struct PostmortemTemplate: Codable, Sendable, Equatable {
    public struct Section: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        /// What the section is for, shown to whoever writes it and as its first draft when the
        /// record has nothing to put there.
        public var prompt: String

        public init(id: String, title: String, prompt: String) {
            self.id = id
            self.title = title
            self.prompt = prompt
        }
    }

    public var sections: [Section]

    public init(sections: [Section]) throws(IncidentError) {
        guard !sections.isEmpty, sections.count <= 30 else {
            throw .invalidField(field: "sections", reason: "must hold 1–30 sections.")
        }
        let ids = sections.map(\.id)
        guard Set(ids).count == ids.count else { throw .invalidField(field: "sections", reason: "names a section id twice.") }
        for section in sections {
            try ServiceSlug.validate(section.id, field: "sections.id")
            try TextRules.require(section.title, field: "sections.title", max: 120)
            try TextRules.limit(section.prompt, field: "sections.prompt", max: 1_000)
        }
        self.sections = sections
    }

    /// Summary, impact, timeline, causes, what went well and less well, luck, action items, lessons.
    public static let standard: PostmortemTemplate = {
        // The standard sections pass every check.
        try! PostmortemTemplate(sections: [
            Section(id: "summary", title: "Summary", prompt: "What happened, to whom, for how long, and how it ended, in a few sentences."),
            Section(id: "impact", title: "Impact", prompt: "Who was affected and how much: users, requests, revenue, data."),
            Section(id: "timeline", title: "Timeline", prompt: "The moments that mattered, in order, in UTC."),
            Section(
                id: "root-cause", title: "Root cause",
                prompt: "What conditions came together? Name the trigger, then the factors that let it become an outage."),
            Section(
                id: "contributing-factors", title: "Contributing factors",
                prompt: "What made it worse, slower to find or harder to fix: gaps in tests, alerts, tooling, documentation."),
            Section(id: "what-went-well", title: "What went well", prompt: "What helped the response, to keep doing it."),
            Section(
                id: "what-could-be-improved", title: "What could be improved",
                prompt: "What slowed the response or made it harder, as conditions to change rather than people to correct."),
            Section(id: "where-we-got-lucky", title: "Where we got lucky", prompt: "What went right by chance and might not next time."),
            Section(
                id: "action-items", title: "Action items",
                prompt: "What will change, each with an owner, a due date and a priority (P0–P3)."),
            Section(id: "lessons-learned", title: "Lessons learned", prompt: "What the team now knows that it did not before."),
        ])
    }()
}
