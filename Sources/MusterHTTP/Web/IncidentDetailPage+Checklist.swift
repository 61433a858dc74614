import Foundation
import MusterCore

extension IncidentDetailPage {
    /// The incident's checklists as its page shows them, with a form per item.
    struct ChecklistPart: PageModel {
        struct ItemRow: PageModel {
            var key: String
            var words: String
            var isDone: Bool
            var isSkipped: Bool
            var skipReason: String?
            var markedBy: String?
            /// The item's key made fit for an element id.
            var inputID: String
        }
        struct SectionRow: PageModel {
            var heading: String
            var items: [ItemRow]
        }
        struct ListRow: PageModel {
            var listTitle: String
            var phaseLabel: String
            var settledText: String
            /// Lists still being worked through are shown open.
            var unfinished: Bool
            var sections: [SectionRow]
        }

        var lists: [ListRow]
        var progress: String
    }

    static func checklistPart(_ checklist: IncidentChecklist) -> ChecklistPart {
        let (settled, total) = checklist.progress
        return ChecklistPart(
            lists: checklist.lists.map { list in
                let items = list.sections.flatMap(\.items)
                let done = items.filter { $0.state != .open }.count
                return ChecklistPart.ListRow(
                    listTitle: list.title, phaseLabel: list.phase.rawValue.capitalized, settledText: "\(done) of \(items.count)",
                    unfinished: done > 0 && done < items.count,
                    sections: list.sections.map { section in
                        ChecklistPart.SectionRow(
                            heading: section.title,
                            items: section.items.map { item in
                                ChecklistPart.ItemRow(
                                    key: item.key, words: item.text, isDone: item.state == .done, isSkipped: item.state == .skipped,
                                    skipReason: item.reason, markedBy: item.state == .open ? nil : item.by,
                                    inputID: item.key.replacingOccurrences(of: "/", with: "--"))
                            })
                    })
            },
            progress: "\(settled) of \(total) items done or skipped")
    }
}
