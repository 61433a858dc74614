import Foundation

/// A phrase that puts blame on people or judges them in hindsight, with why and what to write
/// instead. `personSubject` rules flag the phrase only after a person (a name, a pronoun, a role):
/// "the code failed to close connections" is a finding about a system, "Bob failed to close
/// them" one about a person.
public struct BlamelessRule: Codable, Sendable, Equatable {
    public var id: String
    /// Lowercase phrases, each matched as whole words; `'` also matches `’`.
    public var phrases: [String]
    public var personSubject: Bool
    public var explanation: String
    public var suggestion: String

    public init(id: String, phrases: [String], personSubject: Bool = false, explanation: String, suggestion: String) {
        self.id = id
        self.phrases = phrases.map { $0.lowercased() }
        self.personSubject = personSubject
        self.explanation = explanation
        self.suggestion = suggestion
    }
}

/// A place in a text where a rule applies.
public struct BlamelessFinding: Codable, Sendable, Equatable {
    public var rule: String
    /// Where the phrase starts, counted in characters from the text's start; and its line and
    /// column (from 1), as an editor shows them.
    public var offset: Int
    public var line: Int
    public var column: Int
    /// The words matched, as written.
    public var excerpt: String
    public var explanation: String
    public var suggestion: String
}

/// The blameless-language check: finds, in a section of a post-mortem, the phrases that blame
/// people or judge them in hindsight.
public struct BlamelessCheck: Sendable {
    public var rules: [BlamelessRule]
    /// Names that mark a person: Muster's people (ids and first names) and any given.
    public var people: Set<String>

    public init(rules: [BlamelessRule] = BlamelessCheck.standardRules, people: [String] = []) {
        self.rules = rules
        self.people = Set(people.map { $0.lowercased() }.filter { !$0.isEmpty })
    }

    /// Words that, just before a phrase, make it about a person.
    static let personWords: Set<String> = [
        "i", "we", "he", "she", "they", "you", "someone", "somebody", "nobody", "everyone", "anyone", "engineer", "engineers",
        "developer", "developers", "operator", "operators", "reviewer", "reviewers", "responder", "responders", "admin", "sre",
        "on-call", "oncaller", "author", "commander", "team", "person", "staff", "intern", "contractor", "manager", "dev", "devs", "ops",
        "him", "her", "them", "us",
    ]

    public static let standardRules: [BlamelessRule] = [
        BlamelessRule(
            id: "human-error", phrases: ["human error", "user error", "operator error", "pilot error"],
            explanation: "Names a person as the cause and stops the search there; people act within systems that allowed the slip.",
            suggestion:
                "Describe what made the mistake possible or easy, e.g. \"the deploy command accepted the wrong environment without asking\"."
        ),
        BlamelessRule(
            id: "hindsight",
            phrases: [
                "should have", "should've", "should not have", "shouldn't have", "should never have", "could have", "could've",
                "ought to have", "would have caught", "if only",
            ],
            explanation: "Judges a decision with what is known now, not with what the people knew then.",
            suggestion: "Say what was known at the time and what would make the better choice easier next time."),
        BlamelessRule(
            id: "person-failed",
            phrases: [
                "failed to", "forgot to", "forgot", "neglected to", "neglected", "ignored", "overlooked", "didn't follow", "did not follow",
                "didn't check", "did not check", "didn't notice", "did not notice", "didn't test", "did not test", "missed", "broke",
                "messed up", "screwed up", "made a mistake", "caused the", "deployed bad", "pushed bad", "didn't bother",
            ],
            personSubject: true,
            explanation: "Puts a person at the centre of the failure, which invites defending rather than learning.",
            suggestion:
                "Make the system the subject: what check, signal or safeguard was missing, e.g. \"the pipeline had no test for this path\"."
        ),
        BlamelessRule(
            id: "judgement",
            phrases: [
                "careless", "carelessly", "carelessness", "negligent", "negligence", "sloppy", "lazy", "incompetent", "incompetence",
                "stupid", "dumb", "reckless", "recklessly", "irresponsible", "should know better", "obviously", "clearly should",
            ],
            explanation: "Judges people's character or effort; it explains nothing about how the system behaved.",
            suggestion: "Describe the conditions: time pressure, missing information, a confusing tool."),
        BlamelessRule(
            id: "blame",
            phrases: ["to blame", "blamed", "blame on", "blame for", "whose fault", "at fault", "'s fault", "fault of"],
            explanation: "Looks for someone to hold responsible instead of for what to change.",
            suggestion: "Ask what allowed it to happen and what will make it less likely."),
        BlamelessRule(
            id: "single-root-cause", phrases: ["the root cause"],
            explanation: "Presents one cause as the whole story; incidents come from several conditions meeting.",
            suggestion: "Write \"a cause\" or \"the trigger\", and name the contributing factors beside it."),
    ]

    /// The findings in `text`, in the order they appear; one per place even when rules overlap.
    public func findings(in text: String) -> [BlamelessFinding] {
        let words = Self.words(of: text)
        var found: [BlamelessFinding] = []
        var taken = Set<Int>()
        for rule in rules {
            for phrase in rule.phrases {
                // "'s fault" matches a possessive ("Bob's fault"): its first word ends in 's.
                let possessive = phrase.hasPrefix("'s ")
                let phraseWords =
                    possessive ? ["'s"] + Self.words(of: String(phrase.dropFirst(3))).map(\.text) : Self.words(of: phrase).map(\.text)
                guard !phraseWords.isEmpty, phraseWords.count <= words.count else { continue }
                for start in 0...(words.count - phraseWords.count) where !taken.contains(start) {
                    guard
                        (0..<phraseWords.count).allSatisfy({ offset in
                            possessive && offset == 0
                                ? words[start].text.hasSuffix("'s") : words[start + offset].text == phraseWords[offset]
                        })
                    else { continue }
                    if rule.personSubject, !personBefore(start, in: words) { continue }
                    // "Nobody is to blame" says the opposite of what the phrase alone would.
                    if rule.id == "blame", negatedBefore(start, in: words) { continue }
                    taken.insert(start)
                    let first = words[start]
                    let last = words[start + phraseWords.count - 1]
                    found.append(
                        BlamelessFinding(
                            rule: rule.id, offset: first.offset, line: first.line, column: first.column,
                            excerpt: String(text[first.range.lowerBound..<last.range.upperBound]), explanation: rule.explanation,
                            suggestion: rule.suggestion))
                }
            }
        }
        return found.sorted { $0.offset < $1.offset }
    }

    /// Whether one of the three words before `index`, within the same sentence, marks a person.
    func personBefore(_ index: Int, in words: [Word]) -> Bool {
        var position = index - 1
        var looked = 0
        while position >= 0, looked < 3, !words[position].endsSentence {
            let word = words[position].text
            if Self.personWords.contains(word) || people.contains(word) || words[position].isHandle { return true }
            position -= 1
            looked += 1
        }
        return false
    }

    /// Whether one of the three words before `index`, within the same sentence, denies it.
    func negatedBefore(_ index: Int, in words: [Word]) -> Bool {
        let negations: Set<String> = ["nobody", "no", "not", "never", "isn't", "wasn't", "without", "none"]
        return (max(0, index - 3)..<index).contains {
            negations.contains(words[$0].text) && !words[$0..<index].contains(where: \.endsSentence)
        }
    }

    /// A word of a text: its lowercase text and where it stands.
    struct Word {
        var text: String
        var range: Range<String.Index>
        var offset: Int
        var line: Int
        var column: Int
        var isHandle: Bool
        /// Whether a sentence or line ends right after it.
        var endsSentence: Bool
    }

    /// Splits a text into words: letters, digits, `-` and `'` inside a word; `@handles` kept whole.
    static func words(of text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = text.startIndex
        var startOffset = 0
        var startLine = 1
        var startColumn = 1
        var line = 1
        var column = 1
        var offset = 0
        var index = text.startIndex
        func finish(at end: String.Index, next: Character?) {
            guard !current.isEmpty else { return }
            let handle = current.hasPrefix("@")
            var word = current.lowercased().replacingOccurrences(of: "’", with: "'")
            if handle { word.removeFirst() }
            while word.hasSuffix("'") || word.hasSuffix("-") { word.removeLast() }
            words.append(
                Word(
                    text: word, range: start..<end, offset: startOffset, line: startLine, column: startColumn, isHandle: handle,
                    endsSentence: false))
            current = ""
        }
        while index < text.endIndex {
            let character = text[index]
            let inWord =
                character.isLetter || character.isNumber || (!current.isEmpty && "-'’".contains(character))
                || (current.isEmpty && character == "@")
            if inWord {
                if current.isEmpty {
                    start = index
                    startOffset = offset
                    startLine = line
                    startColumn = column
                }
                current.append(character)
            } else {
                finish(at: index, next: character)
                if ".!?;:\n".contains(character), !words.isEmpty { words[words.count - 1].endsSentence = true }
            }
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            offset += 1
            index = text.index(after: index)
        }
        finish(at: text.endIndex, next: nil)
        return words
    }
}
