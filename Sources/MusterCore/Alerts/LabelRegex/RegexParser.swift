/// Reads a label regex in RE2's syntax, the one Alertmanager's matchers use (Go's `regexp`):
/// no backreferences and no lookaround, which is what lets matching run in linear time.
struct RegexParser {
    struct Flags {
        var foldsCase = false
        var multiLine = false
        var dotMatchesNewline = false
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0
    /// Groups nested deeper than this are refused, so parsing never runs out of stack.
    static let maxDepth = 100
    /// Go's limit on `{n,m}` counts.
    static let maxRepeat = 1_000

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func parse(_ pattern: String) throws(LabelRegex.SyntaxError) -> RegexNode {
        var parser = RegexParser(pattern)
        var flags = Flags()
        let node = try parser.alternation(&flags)
        if parser.position < parser.scalars.count { throw parser.error("unexpected )") }
        return node
    }

    private func error(_ reason: String, at offset: Int? = nil) -> LabelRegex.SyntaxError {
        LabelRegex.SyntaxError(reason: reason, offset: offset ?? position)
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ ahead: Int) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    private mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard peek == scalar else { return false }
        position += 1
        return true
    }

    /// Branches separated by `|`, up to `)` or the end. `(?i)` inside holds for the later branches too.
    private mutating func alternation(_ flags: inout Flags) throws(LabelRegex.SyntaxError) -> RegexNode {
        var branches = [try concatenation(&flags)]
        while take("|") { branches.append(try concatenation(&flags)) }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func concatenation(_ flags: inout Flags) throws(LabelRegex.SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        var lastWasRepeat = false
        while let scalar = peek, scalar != "|", scalar != ")" {
            if let (min, max, length) = repetition() {
                guard let last = items.popLast() else { throw error("missing argument to repetition operator") }
                guard !lastWasRepeat else { throw error("invalid nested repetition operator") }
                position += length
                _ = take("?")  // non-greedy: the same set of matches
                guard min <= Self.maxRepeat, (max ?? 0) <= Self.maxRepeat, max.map({ $0 >= min }) ?? true else {
                    throw error("invalid repeat count (at most \(Self.maxRepeat))", at: position - length)
                }
                items.append(.repeat(last, min: min, max: max))
                lastWasRepeat = true
                continue
            }
            lastWasRepeat = false
            items.append(contentsOf: try atom(&flags))
        }
        return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concat(items)
    }

    /// A repetition operator at the position: its bounds and length. A `{` that starts no valid
    /// `{n}`, `{n,}` or `{n,m}` is a literal brace, as in Go.
    private func repetition() -> (Int, Int?, Int)? {
        switch peek {
        case "*": return (0, nil, 1)
        case "+": return (1, nil, 1)
        case "?": return (0, 1, 1)
        case "{":
            var index = position + 1
            func digits() -> Int? {
                let start = index
                var value = 0
                while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                    value = min(value * 10 + Int(scalars[index].value - 0x30), Self.maxRepeat + 1)
                    index += 1
                }
                return index > start ? value : nil
            }
            guard let low = digits() else { return nil }
            var high: Int? = low
            if index < scalars.count, scalars[index] == "," {
                index += 1
                high = digits()
            }
            guard index < scalars.count, scalars[index] == "}" else { return nil }
            return (low, high, index + 1 - position)
        default: return nil
        }
    }

    /// One item: a scalar, a class, a group, an assertion. Flag groups such as `(?i)` give none;
    /// `\Q…\E` gives several.
    private mutating func atom(_ flags: inout Flags) throws(LabelRegex.SyntaxError) -> [RegexNode] {
        let scalar = scalars[position]
        switch scalar {
        case "(":
            return try group(&flags)
        case "[":
            return [.set(try bracketClass(flags))]
        case ".":
            position += 1
            return [.any(newline: flags.dotMatchesNewline)]
        case "^":
            position += 1
            return [.assertion(flags.multiLine ? .beginLine : .beginText)]
        case "$":
            position += 1
            return [.assertion(flags.multiLine ? .endLine : .endText)]
        case "\\":
            return try escape(flags)
        default:
            position += 1
            return [.scalar(scalar.value, foldsCase: flags.foldsCase)]
        }
    }

    private mutating func group(_ flags: inout Flags) throws(LabelRegex.SyntaxError) -> [RegexNode] {
        let start = position
        position += 1
        var inner = flags
        if take("?") {
            if peek == "=" || peek == "!" || (peek == "<" && (peek(1) == "=" || peek(1) == "!")) {
                throw error("lookahead and lookbehind are not supported (RE2 syntax, as in Alertmanager)", at: start)
            } else if take("P") || peek == "<" {
                if peek == "=" || peek == ">" { throw error("backreferences and recursion are not supported", at: start) }
                guard take("<") else { throw error("invalid named group", at: start) }
                var name = ""
                while let scalar = peek, scalar != ">" {
                    guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" else {
                        throw error("invalid named group name", at: start)
                    }
                    name.unicodeScalars.append(scalar)
                    position += 1
                }
                guard take(">"), !name.isEmpty else { throw error("invalid named group", at: start) }
            } else {
                // Flags: (?i) for the rest of the group, (?i:…) for a group of its own.
                var negate = false
                var sawFlag = false
                while let scalar = peek, scalar != ")", scalar != ":" {
                    position += 1
                    switch scalar {
                    case "i": inner.foldsCase = !negate
                    case "m": inner.multiLine = !negate
                    case "s": inner.dotMatchesNewline = !negate
                    case "U": break  // non-greedy by default: the same set of matches
                    case "-":
                        guard !negate else { throw error("invalid or unsupported flags", at: start) }
                        negate = true
                        sawFlag = false
                        continue
                    default: throw error("invalid or unsupported flags", at: start)
                    }
                    sawFlag = true
                }
                guard !negate || sawFlag, let end = peek else { throw error("invalid or unsupported flags", at: start) }
                position += 1
                if end == ")" {
                    flags = inner
                    return []
                }
            }
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("groups nested deeper than \(Self.maxDepth) levels", at: start) }
        let body = try alternation(&inner)
        guard take(")") else { throw error("missing closing )", at: start) }
        return [body]
    }

    private mutating func escape(_ flags: Flags) throws(LabelRegex.SyntaxError) -> [RegexNode] {
        let start = position
        position += 1
        guard let letter = peek else { throw error("trailing backslash at end of expression", at: start) }
        switch letter {
        case "A":
            position += 1
            return [.assertion(.beginText)]
        case "z":
            position += 1
            return [.assertion(.endText)]
        case "b":
            position += 1
            return [.assertion(.wordBoundary)]
        case "B":
            position += 1
            return [.assertion(.notWordBoundary)]
        case "Q":
            position += 1
            var literal: [RegexNode] = []
            while let scalar = peek {
                if scalar == "\\", peek(1) == "E" {
                    position += 2
                    break
                }
                literal.append(.scalar(scalar.value, foldsCase: flags.foldsCase))
                position += 1
            }
            return literal
        case "d", "D", "s", "S", "w", "W", "p", "P":
            position = start
            return [.set(try classEscape(flags))]
        default:
            position = start
            return [.scalar(try scalarEscape(), foldsCase: flags.foldsCase)]
        }
    }

    /// `\d`-style and `\p`-style escapes as a class; the position is at the backslash.
    private mutating func classEscape(_ flags: Flags) throws(LabelRegex.SyntaxError) -> RegexClass {
        var set = RegexClass(foldsCase: flags.foldsCase)
        set.items.append(try classEscapeItem())
        return set
    }

    /// The item a `\d`, `\D`, `\pL`, `\P{Lu}`… escape stands for; the position is at the backslash.
    private mutating func classEscapeItem() throws(LabelRegex.SyntaxError) -> RegexClass.Item {
        let start = position
        position += 1
        let letter = scalars[position]
        position += 1
        let lower = Unicode.Scalar(letter.value | 0x20)!
        if let ranges = RegexClass.perl(lower) {
            return letter == lower ? .inside(ranges) : .outside(ranges)
        }
        var negated = letter == "P"
        var name = ""
        if take("{") {
            if take("^") { negated.toggle() }
            while let scalar = peek, scalar != "}" {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard take("}") else { throw error("missing closing } in \\p{…}", at: start) }
        } else {
            guard let scalar = peek else { throw error("invalid character class range", at: start) }
            name.unicodeScalars.append(scalar)
            position += 1
        }
        if name == "Any" { return .categories([], negated: !negated) }
        guard let categories = RegexClass.categories(named: name) else {
            throw error(
                "unknown or unsupported Unicode class \\p{\(name)} (general categories such as L, Lu or Nd are supported)", at: start)
        }
        return .categories(categories, negated: negated)
    }

    /// A single scalar written as an escape: `\n`, `\x41`, `\x{1F600}`, `\101`, `\.`; the position is at the backslash.
    private mutating func scalarEscape() throws(LabelRegex.SyntaxError) -> UInt32 {
        let start = position
        position += 1
        guard let letter = peek else { throw error("trailing backslash at end of expression", at: start) }
        position += 1
        switch letter {
        case "a": return 0x07
        case "f": return 0x0C
        case "t": return 0x09
        case "n": return 0x0A
        case "r": return 0x0D
        case "v": return 0x0B
        case "0"..."7":
            // One digit other than 0 would be a backreference, which RE2 does not have.
            guard letter == "0" || (peek.map { ("0"..."7").contains($0) } ?? false) else {
                throw error("backreferences are not supported", at: start)
            }
            var value = letter.value - 0x30
            for _ in 0..<2 {
                guard let digit = peek, ("0"..."7").contains(digit) else { break }
                value = value * 8 + digit.value - 0x30
                position += 1
            }
            return value
        case "x":
            var value: UInt32 = 0
            if take("{") {
                var count = 0
                while let scalar = peek, let digit = Self.hexValue(scalar) {
                    value = value * 16 + digit
                    count += 1
                    position += 1
                    guard value <= 0x10FFFF else { throw error("invalid escape sequence", at: start) }
                }
                guard count > 0, take("}") else { throw error("invalid escape sequence", at: start) }
            } else {
                for _ in 0..<2 {
                    guard let scalar = peek, let digit = Self.hexValue(scalar) else { throw error("invalid escape sequence", at: start) }
                    value = value * 16 + digit
                    position += 1
                }
            }
            return value
        default:
            // Escaped punctuation stands for itself; escaped letters and digits mean something else.
            guard letter.isASCII, !letter.properties.isAlphabetic, !("0"..."9").contains(letter) else {
                throw error("invalid or unsupported escape sequence \\\(letter)", at: start)
            }
            return letter.value
        }
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 0x30
        case "a"..."f": scalar.value - 0x61 + 10
        case "A"..."F": scalar.value - 0x41 + 10
        default: nil
        }
    }

    /// `[…]` and `[^…]`; a `]` right after the opening is a literal.
    private mutating func bracketClass(_ flags: Flags) throws(LabelRegex.SyntaxError) -> RegexClass {
        let start = position
        position += 1
        var set = RegexClass(foldsCase: flags.foldsCase)
        if take("^") { set.negated = true }
        var first = true
        while first || peek != "]" {
            guard let scalar = peek else { throw error("missing closing ]", at: start) }
            first = false
            if scalar == "[", peek(1) == ":", let item = try posixClass() {
                set.items.append(item)
                continue
            }
            if scalar == "\\", let letter = peek(1), "dDsSwWpP".unicodeScalars.contains(letter) {
                set.items.append(try classEscapeItem())
                continue
            }
            let low = try classScalar(start: start)
            var high = low
            if peek == "-", let after = peek(1), after != "]" {
                position += 1
                high = try classScalar(start: start)
                guard high >= low else { throw error("invalid character class range", at: start) }
            }
            set.items.append(.inside([low...high]))
        }
        position += 1
        return set
    }

    private mutating func classScalar(start: Int) throws(LabelRegex.SyntaxError) -> UInt32 {
        guard let scalar = peek else { throw error("missing closing ]", at: start) }
        if scalar == "\\" { return try scalarEscape() }
        position += 1
        return scalar.value
    }

    /// `[:alpha:]` or `[:^alpha:]` inside a bracket class; nil when no `:]` follows (then `[` is a literal).
    private mutating func posixClass() throws(LabelRegex.SyntaxError) -> RegexClass.Item? {
        var index = position + 2
        var name = ""
        while index + 1 < scalars.count, !(scalars[index] == ":" && scalars[index + 1] == "]") {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard index + 1 < scalars.count else { return nil }
        let negated = name.hasPrefix("^")
        guard let ranges = RegexClass.posix(negated ? String(name.dropFirst()) : name) else {
            throw error("invalid character class range [:\(name):]")
        }
        position = index + 2
        return negated ? .outside(ranges) : .inside(ranges)
    }
}
