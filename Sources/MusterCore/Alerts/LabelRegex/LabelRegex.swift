/// A regular expression for label matchers, in RE2's syntax (Go's `regexp`, which Alertmanager
/// uses), matched against a whole label value in time linear in the value's length.
///
/// Silences are checked against every alert as it arrives, on the ingestion writer. A
/// backtracking engine (ICU, behind `NSRegularExpression`) takes exponential time on patterns
/// such as `(a+)+` against a value of thirty `a`s and a `b`, so one silence and one crafted label
/// could stall ingestion for everyone. This engine follows every possible match at once
/// (Thompson's construction, as RE2 does): at most one step per instruction per scalar.
public final class LabelRegex: Sendable, CustomStringConvertible {
    /// Why a pattern was refused, and where.
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public var reason: String
        /// Offset in Unicode scalars from the start of the pattern.
        public var offset: Int

        public var description: String { "\(reason) at character \(offset + 1)" }
    }

    /// Largest program a pattern may compile to; `(a{1000}){1000}` and the like are refused.
    public static let maxInstructions = 5_000

    public let pattern: String
    private let program: RegexProgram

    /// Compiles `pattern`; it matches only a whole value, as Alertmanager's `^(?:pattern)$`.
    public init(_ pattern: String) throws(SyntaxError) {
        self.pattern = pattern
        program = try RegexProgram(RegexParser.parse(pattern), limit: Self.maxInstructions)
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        var steps = 0
        return program.run(text, steps: &steps)
    }

    /// As `matches`, counting the instructions visited, which never exceeds
    /// (scalars + 1) × `instructionCount`.
    func matches(_ text: String, steps: inout Int) -> Bool {
        program.run(text, steps: &steps)
    }

    /// Instructions in the compiled program.
    public var instructionCount: Int { program.instructions.count }

    public var description: String { pattern }
}
