import Foundation

/// Where a checklist item stands, as responders left it: stored per incident and item.
public struct ChecklistMark: Codable, Sendable, Equatable {
    public enum State: String, StrictStringEnum {
        case open, done, skipped
    }

    public var key: String
    public var state: State
    /// Why it was skipped.
    public var reason: String?
    public var by: String
    public var at: Date
    /// The words of an item a responder added; nil for the templates' items.
    public var text: String?

    public init(key: String, state: State, reason: String? = nil, by: String, at: Date, text: String? = nil) {
        self.key = key
        self.state = state
        self.reason = reason
        self.by = by
        self.at = at
        self.text = text
    }
}

/// An incident's checklists: the templates attached at its severity, each item as responders
/// left it, and the items they added.
public struct IncidentChecklist: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var text: String
        public var state: ChecklistMark.State
        public var reason: String?
        public var by: String?
        public var at: Date?
    }

    public struct Section: Sendable, Equatable {
        public var title: String
        public var items: [Item]
    }

    public struct List: Sendable, Equatable {
        public var id: String
        public var title: String
        public var phase: ChecklistTemplate.Phase
        public var sections: [Section]
    }

    public var lists: [List]

    /// The id of the list that holds the items responders add.
    public static let addedList = "added"

    public init(templates: [ChecklistTemplate], severityRank: Int?, marks: [ChecklistMark]) {
        let byKey = Dictionary(marks.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        func item(_ key: String, _ text: String) -> Item {
            let mark = byKey[key]
            return Item(key: key, text: text, state: mark?.state ?? .open, reason: mark?.reason, by: mark?.by, at: mark?.at)
        }
        lists = templates.filter { $0.applies(toRank: severityRank) }.map { template in
            List(
                id: template.id, title: template.title, phase: template.phase,
                sections: template.sections.map { section in
                    Section(title: section.title, items: section.items.map { item(template.key(of: $0), $0) })
                })
        }
        let added = marks.filter { $0.text != nil }.sorted { Self.addedNumber($0.key) < Self.addedNumber($1.key) }
        if !added.isEmpty {
            lists.append(
                List(
                    id: Self.addedList, title: "Added by responders", phase: .investigation,
                    sections: [Section(title: "Added", items: added.map { item($0.key, $0.text ?? "") })]))
        }
    }

    /// The number in an added item's key (`added/3`), which orders them as they were added.
    static func addedNumber(_ key: String) -> Int { Int(key.split(separator: "/").last ?? "") ?? 0 }

    /// The key the next item a responder adds gets, after `marks`.
    public static func nextAddedKey(after marks: [ChecklistMark]) -> String {
        "\(addedList)/\((marks.filter { $0.text != nil }.map { addedNumber($0.key) }.max() ?? 0) + 1)"
    }

    /// Every item, list by list.
    public var items: [Item] { lists.flatMap { $0.sections.flatMap(\.items) } }

    public func item(_ key: String) -> Item? { items.first { $0.key == key } }

    /// Resolution items nobody has ticked or skipped.
    public var openResolutionItems: [Item] {
        lists.filter { $0.phase == .resolution }.flatMap { $0.sections.flatMap(\.items) }.filter { $0.state == .open }
    }

    /// How many items are done or skipped, of how many.
    public var progress: (settled: Int, total: Int) {
        (items.filter { $0.state != .open }.count, items.count)
    }
}

extension Incident {
    /// Ticks, skips (with a reason) or reopens item `key` of `checklist`: the mark to keep and the
    /// timeline entry that records who did it.
    public func mark(
        _ key: String, as state: ChecklistMark.State, reason: String?, in checklist: IncidentChecklist, by author: String, at now: Date
    ) throws(IncidentError) -> (ChecklistMark, TimelineDraft) {
        guard status != .closed else { throw .closed }
        guard let item = checklist.item(key) else {
            throw .invalidField(field: "item", reason: "names '\(key.prefix(80))', which is not on this incident's checklists.")
        }
        let why = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if state == .skipped {
            guard let why, !why.isEmpty else { throw .invalidField(field: "reason", reason: "is required to skip an item: say why it does not apply.") }
            try TextRules.limit(why, field: "reason", max: 500)
        }
        guard item.state != state else { throw .invalidField(field: "state", reason: "is already \(state.rawValue) for '\(item.text.prefix(80))'.") }
        let added = key.hasPrefix(IncidentChecklist.addedList + "/") ? item.text : nil
        let mark = ChecklistMark(key: key, state: state, reason: state == .skipped ? why : nil, by: author, at: now, text: added)
        let words: String
        switch state {
        case .done: words = "Checklist: done: \(item.text)"
        case .skipped: words = "Checklist: skipped: \(item.text) (\(why ?? ""))"
        case .open: words = "Checklist: reopened: \(item.text)"
        }
        return (mark, TimelineDraft(kind: .note, at: now, author: author, text: words, details: ["checklist": key, "state": state.rawValue]))
    }

    /// Adds an item of the responder's own to the checklist, after the items in `marks`.
    public func addChecklistItem(_ text: String, after marks: [ChecklistMark], by author: String, at now: Date) throws(IncidentError)
        -> (ChecklistMark, TimelineDraft)
    {
        guard status != .closed else { throw .closed }
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(words, field: "text", max: 300)
        guard marks.filter({ $0.text != nil }).count < 200 else { throw .invalidField(field: "text", reason: "An incident holds at most 200 added items.") }
        let key = IncidentChecklist.nextAddedKey(after: marks)
        return (
            ChecklistMark(key: key, state: .open, by: author, at: now, text: words),
            TimelineDraft(kind: .note, at: now, author: author, text: "Checklist: added: \(words)", details: ["checklist": key, "state": "added"])
        )
    }
}
