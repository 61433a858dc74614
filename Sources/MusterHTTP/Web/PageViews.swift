import Foundation
import MusterCore

/// Small pieces the page templates share.
enum PageViews {
    /// A time for `<time datetime="{{iso}}">{{text}}</time>`.
    struct Time: PageModel {
        var iso: String
        var text: String

        init(_ date: Date) {
            self.init(date, text: WebTime.text(date))
        }

        /// A time written as the caller wants it (the status page, in its own zone).
        init(_ date: Date, text: String) {
            iso = RFC3339.format(date)
            self.text = text
        }

        /// Read on every row of every page: without reflection.
        func child(named name: String) -> Any? {
            switch name {
            case "iso": iso
            case "text": text
            default: nil
            }
        }
    }

    /// One choice of a `<select>` or a group of radio buttons.
    struct Option: PageModel {
        var value: String
        var label: String
        var selected = false
    }

    /// The impact matrix: rows of user impact, columns of business impact, each cell the level it proposes.
    struct Matrix: PageModel {
        struct Cell: PageModel {
            var users: String
            var business: String
            var severity: String
            var rank: Int
        }
        struct Row: PageModel {
            var users: String
            var label: String
            var cells: [Cell]
        }
        var columns: [Option]
        var rows: [Row]

        init(scheme: SeverityScheme) {
            columns = BusinessImpact.allCases.map { Option(value: $0.rawValue, label: Self.label($0.rawValue)) }
            rows = UserImpact.allCases.map { users in
                Row(
                    users: users.rawValue, label: Self.label(users.rawValue),
                    cells: BusinessImpact.allCases.map { business in
                        let level = scheme.propose(users: users, business: business)
                        return Cell(
                            users: users.rawValue, business: business.rawValue, severity: level.name,
                            rank: PageViews.rank(level.name, in: scheme))
                    })
            }
        }

        /// `revenue_loss` → `Revenue loss`.
        static func label(_ value: String) -> String {
            let words = value.replacingOccurrences(of: "_", with: " ")
            return words.prefix(1).uppercased() + words.dropFirst()
        }
    }

    /// 1 for the most severe level, for the colour classes `severity-1` … `severity-5`.
    static func rank(_ severity: String, in scheme: SeverityScheme) -> Int {
        min((scheme.rank(of: severity) ?? scheme.levels.count - 1) + 1, 5)
    }

    /// The levels of `scheme` as choices, `selected` chosen.
    static func severities(_ scheme: SeverityScheme, selected: String?) -> [Option] {
        scheme.levels.map { level in
            Option(
                value: level.name, label: level.label.isEmpty ? level.name : "\(level.name) · \(level.label)",
                selected: level.name.caseInsensitiveCompare(selected ?? "") == .orderedSame)
        }
    }

    /// An action item in one line: "[P0, open] Add pool monitoring · ann, due … (overdue)".
    static func actionItemLine(_ item: ActionItem, at now: Date) -> String {
        "[\(item.priority.rawValue), \(item.status.rawValue.replacingOccurrences(of: "_", with: " "))] \(item.title) · \(item.owner)"
            + (item.dueAt.map { ", due \(WebTime.text($0))\(item.isOverdue(at: now) ? " (overdue)" : "")" } ?? "")
    }
}
