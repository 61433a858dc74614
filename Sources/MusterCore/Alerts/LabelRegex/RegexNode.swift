/// A parsed label regex, before it is compiled into a program.
indirect enum RegexNode: Equatable {
    /// Matches the empty string.
    case empty
    case scalar(UInt32, foldsCase: Bool)
    case set(RegexClass)
    /// `.`: any scalar, or any but a newline.
    case any(newline: Bool)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max` nil: no upper bound.
    case `repeat`(RegexNode, min: Int, max: Int?)
}

/// Conditions on a position that consume nothing: `^`, `$`, `\A`, `\z`, `\b`, `\B`.
enum RegexAssertion: Sendable, Equatable {
    case beginLine, endLine, beginText, endText, wordBoundary, notWordBoundary

    /// Whether it holds between `before` and `after` (nil at either end of the text).
    func holds(before: UInt32?, after: UInt32?) -> Bool {
        switch self {
        case .beginLine: before == nil || before == 0x0A
        case .endLine: after == nil || after == 0x0A
        case .beginText: before == nil
        case .endText: after == nil
        case .wordBoundary: Self.isWord(before) != Self.isWord(after)
        case .notWordBoundary: Self.isWord(before) == Self.isWord(after)
        }
    }

    private static func isWord(_ value: UInt32?) -> Bool {
        guard let value else { return false }
        return RegexClass.wordCharacters.contains { $0.contains(value) }
    }
}
