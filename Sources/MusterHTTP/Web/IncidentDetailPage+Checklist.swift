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

extension IncidentDetailPage {
    /// The roles the response needs, each open or filled.
    struct RolesNeeded: PageModel {
        struct Need: PageModel {
            var needTitle: String
            var isOpen: Bool
            var last: Bool
        }
        var sizeText: String
        var needs: [Need]
    }

    static func rolesNeeded(_ coverage: RoleCoverage) -> RolesNeeded {
        let sizeText =
            switch coverage.size {
            case .solo: "Solo response, one person holds every role"
            case .small: "A small team's response needs"
            case .large: "A large team's response needs"
            }
        return RolesNeeded(
            sizeText: sizeText,
            needs: coverage.needs.enumerated().map { index, need in
                RolesNeeded.Need(needTitle: need.role.title, isOpen: need.isOpen, last: index == coverage.needs.count - 1)
            })
    }
}

extension IncidentDetailPage {
    /// The monitoring timer: how long a mitigated incident has been watched, against the window.
    struct Stability: PageModel {
        var since: PageViews.Time
        var until: PageViews.Time
        var watching: Bool
        var left: String
        var windowText: String
    }

    static func stability(_ incident: Incident, window: TimeInterval, now: Date) -> Stability? {
        guard incident.status == .monitoring, let mitigated = incident.mitigatedAt, window > 0 else { return nil }
        let until = mitigated.addingTimeInterval(window)
        return Stability(
            since: .init(mitigated), until: .init(until), watching: now < until, left: "\(WebTime.span(until.timeIntervalSince(now))) left",
            windowText: WebTime.span(window))
    }
}
