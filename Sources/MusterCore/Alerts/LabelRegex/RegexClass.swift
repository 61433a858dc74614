/// A character class of a label regex: `[a-z]`, `\d`, `\p{Lu}`, `[[:alpha:]]`, `.` and their negations.
struct RegexClass: Sendable, Equatable {
    enum Item: Sendable, Equatable {
        /// Any scalar in these ranges (`a-z`, `\d`, `[:alpha:]`).
        case inside([ClosedRange<UInt32>])
        /// Every scalar outside these ranges (`\D`, `[:^alpha:]`).
        case outside([ClosedRange<UInt32>])
        /// Scalars of these general categories, or with `negated` of none of them (`\pL`, `\PL`).
        case categories(Set<Unicode.GeneralCategory>, negated: Bool)

        func takes(_ forms: [UInt32]) -> Bool {
            switch self {
            case .inside(let ranges): forms.contains { form in ranges.contains { $0.contains(form) } }
            case .outside(let ranges): !forms.contains { form in ranges.contains { $0.contains(form) } }
            case .categories(let categories, let negated):
                forms.contains { form in Unicode.Scalar(form).map { categories.contains($0.properties.generalCategory) } ?? false }
                    != negated
            }
        }
    }

    var items: [Item] = []
    var negated = false
    /// `(?i)`: a scalar also matches when its lower- or upper-case form does.
    var foldsCase = false

    /// Whether `value` is in the class. Under `(?i)` each item takes a scalar when any of its case
    /// forms is in the item's positive set, and negations apply after that, as in RE2: `(?i)\\PL`
    /// refuses both `a` and `A`.
    func contains(_ value: UInt32) -> Bool {
        let forms = foldsCase ? CaseFolding.forms(of: value) : [value]
        return items.contains { $0.takes(forms) } != negated
    }

    static let digits: [ClosedRange<UInt32>] = [0x30...0x39]
    /// Word characters, ASCII as in RE2: `\w`, `[:word:]`, and what `\b` tells apart.
    static let wordCharacters: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// `\d`, `\s`, `\w` (ASCII, as in RE2) by their letter.
    static func perl(_ letter: Unicode.Scalar) -> [ClosedRange<UInt32>]? {
        switch letter {
        case "d": digits
        case "s": [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
        case "w": wordCharacters
        default: nil
        }
    }

    /// POSIX classes inside brackets, `[:alpha:]`.
    static func posix(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": [0x41...0x5A, 0x61...0x7A]
        case "ascii": [0x00...0x7F]
        case "blank": [0x09...0x09, 0x20...0x20]
        case "cntrl": [0x00...0x1F, 0x7F...0x7F]
        case "digit": digits
        case "graph": [0x21...0x7E]
        case "lower": [0x61...0x7A]
        case "print": [0x20...0x7E]
        case "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": [0x09...0x0D, 0x20...0x20]
        case "upper": [0x41...0x5A]
        case "word": wordCharacters
        case "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: nil
        }
    }

    /// Unicode general categories by their one- or two-letter name, as `\p{…}` takes them.
    static func categories(named name: String) -> Set<Unicode.GeneralCategory>? {
        let all: [String: [Unicode.GeneralCategory]] = [
            "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter], "Lm": [.modifierLetter],
            "Lo": [.otherLetter], "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
            "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber], "Pc": [.connectorPunctuation],
            "Pd": [.dashPunctuation], "Ps": [.openPunctuation], "Pe": [.closePunctuation], "Pi": [.initialPunctuation],
            "Pf": [.finalPunctuation], "Po": [.otherPunctuation], "Sm": [.mathSymbol], "Sc": [.currencySymbol],
            "Sk": [.modifierSymbol], "So": [.otherSymbol], "Zs": [.spaceSeparator], "Zl": [.lineSeparator],
            "Zp": [.paragraphSeparator], "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
        ]
        if let single = all[name] { return Set(single) }
        // A one-letter name is every two-letter category it begins; RE2's C leaves out unassigned scalars.
        guard name.count == 1 else { return nil }
        let group = all.filter { $0.key.hasPrefix(name) }.flatMap(\.value)
        return group.isEmpty ? nil : Set(group)
    }
}

/// Simple case mapping, one scalar to one scalar, as `(?i)` compares.
enum CaseFolding {
    /// The scalar and its other case forms (`k`, `K`, and `K` for the Kelvin sign).
    static func forms(of value: UInt32) -> [UInt32] {
        let lower = lowercase(value)
        let upper = uppercase(value)
        var forms = [value]
        for form in [lower, upper, lowercase(upper), uppercase(lower)] where !forms.contains(form) { forms.append(form) }
        return forms
    }

    /// The form two scalars share when they differ only in case: the lower case of the upper case,
    /// so that `ſ` and `s`, or the Kelvin sign and `k`, compare equal.
    static func folded(_ value: UInt32) -> UInt32 { lowercase(uppercase(value)) }

    private static func lowercase(_ value: UInt32) -> UInt32 {
        if value < 0x80 { return (0x41...0x5A).contains(value) ? value + 0x20 : value }
        return Unicode.Scalar(value).flatMap { single($0.properties.lowercaseMapping) } ?? value
    }

    private static func uppercase(_ value: UInt32) -> UInt32 {
        if value < 0x80 { return (0x61...0x7A).contains(value) ? value - 0x20 : value }
        return Unicode.Scalar(value).flatMap { single($0.properties.uppercaseMapping) } ?? value
    }

    private static func single(_ text: String) -> UInt32? {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first.value
    }
}
