import Foundation

/// The small Markdown post-mortems are written in, as HTML: headings, paragraphs, lists, tables,
/// emphasis, code and http(s) links. Everything else is text, escaped: a section can hold no markup
/// of its own.
enum MarkdownHTML {
    static func render(_ markdown: String) -> String {
        var html = ""
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var table: [[String]] = []
        func flush() {
            if !paragraph.isEmpty {
                html += "<p>\(paragraph.map(inline).joined(separator: "<br>\n"))</p>\n"
                paragraph = []
            }
            if let open = list {
                let tag = open.ordered ? "ol" : "ul"
                html += "<\(tag)>\n" + open.items.map { "<li>\(inline($0))</li>\n" }.joined() + "</\(tag)>\n"
                list = nil
            }
            if !table.isEmpty {
                let rows = table.filter { row in !row.allSatisfy { $0.allSatisfy { "-: ".contains($0) } } }
                if let head = rows.first {
                    html +=
                        "<table>\n<thead><tr>" + head.map { "<th scope=\"col\">\(inline($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                    html += rows.dropFirst().map { "<tr>" + $0.map { "<td>\(inline($0))</td>" }.joined() + "</tr>\n" }.joined()
                    html += "</tbody>\n</table>\n"
                }
                table = []
            }
        }
        for raw in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
            } else if let level = heading(line) {
                flush()
                let text = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                html += "<h\(level)>\(inline(text))</h\(level)>\n"
            } else if line.hasPrefix("|") {
                if !paragraph.isEmpty || list != nil { flush() }
                table.append(cells(line))
            } else if let item = listItem(line) {
                if !paragraph.isEmpty || !table.isEmpty || (list != nil && list?.ordered != item.ordered) { flush() }
                list = (item.ordered, (list?.items ?? []) + [item.text])
            } else {
                if list != nil || !table.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return html
    }

    private static func heading(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix(while: \.isNumber)
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") { return (true, String(line.dropFirst(digits.count + 2))) }
        return nil
    }

    private static func cells(_ line: String) -> [String] {
        var text = line
        if text.hasPrefix("|") { text.removeFirst() }
        if text.hasSuffix("|") && !text.hasSuffix("\\|") { text.removeLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current.trimmingCharacters(in: .whitespaces))
        return cells
    }

    /// Escapes the text, then turns `code`, **strong**, _emphasis_ and [links](https://…) into HTML.
    static func inline(_ text: String) -> String {
        var html = escape(text)
        html = replace(html, #"`([^`]+)`"#) { "<code>\($0[1])</code>" }
        html = replace(html, #"\*\*([^*]+)\*\*"#) { "<strong>\($0[1])</strong>" }
        html = replace(html, #"(^|[\s(])_([^_]+)_(?=$|[\s.,;:!?)])"#) { "\($0[1])<em>\($0[2])</em>" }
        html = replace(html, #"\[([^\]]+)\]\((https?://[^\s)]+)\)"#) { "<a href=\"\($0[2])\">\($0[1])</a>" }
        return html
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func replace(_ text: String, _ pattern: String, _ make: ([String]) -> String) -> String {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
        let source = text as NSString
        var result = ""
        var last = 0
        for match in expression.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            result += source.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { index -> String in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : source.substring(with: range)
            }
            result += make(groups)
            last = match.range.location + match.range.length
        }
        return result + source.substring(from: last)
    }
}
