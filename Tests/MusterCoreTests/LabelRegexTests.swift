import Foundation
import Testing

@testable import MusterCore

@Suite("Label regexes: RE2 syntax, whole-value matches, linear time")
struct LabelRegexTests {
    @Test("every case answers as Go's regexp does for Alertmanager's ^(?:pattern)$")
    func agreesWithGo() {
        // given
        let cases = GoRegexpCases.all
        var disagreements: [String] = []

        // when
        for (pattern, text, expected) in cases {
            let answer: Bool?
            do {
                answer = try LabelRegex(pattern).matches(text)
            } catch {
                answer = nil
            }
            if answer != expected { disagreements.append("\(pattern) on \(text.debugDescription): \(String(describing: answer))") }
        }

        // then
        #expect(cases.count > 150)
        #expect(disagreements == [])
    }

    @Test("patterns RE2 refuses are refused with the reason and the place")
    func refusals() {
        // given
        let refused: [(pattern: String, reason: String, offset: Int)] = [
            ("(ab", "missing closing )", 0),
            ("ab)", "unexpected )", 2),
            ("a**", "invalid nested repetition operator", 2),
            ("*a", "missing argument to repetition operator", 0),
            ("(a)\\1", "backreferences are not supported", 3),
            ("(?=a)a", "lookahead and lookbehind are not supported (RE2 syntax, as in Alertmanager)", 0),
            ("a{1001}", "invalid repeat count (at most 1000)", 1),
            ("[z-a]", "invalid character class range", 0),
            ("[ab", "missing closing ]", 0),
            ("a\\", "trailing backslash at end of expression", 1),
            ("\\k", "invalid or unsupported escape sequence \\k", 0),
        ]

        for (pattern, reason, offset) in refused {
            // when
            let error = #expect(throws: LabelRegex.SyntaxError.self) { try LabelRegex(pattern) }

            // then
            #expect(error == LabelRegex.SyntaxError(reason: reason, offset: offset), "\(pattern)")
        }
    }

    @Test("a pattern whose repetitions count out past the limit is refused, not compiled")
    func tooLarge() throws {
        // given
        let pattern = "((a{1000}){1000}){1000}"

        // when
        let error = #expect(throws: LabelRegex.SyntaxError.self) { try LabelRegex(pattern) }

        // then
        #expect(error?.reason.hasPrefix("expression too large") == true)
        #expect(try LabelRegex("(a{100}){40}").instructionCount <= LabelRegex.maxInstructions)
    }

    @Test("patterns that make backtracking engines take exponential time take one pass here")
    func linearTime() throws {
        // given: on (a+)+ and thirty a's and a b, ICU gave up after half a second and said "no match"
        let value = String(repeating: "a", count: 16_000) + "b"
        for pattern in ["(a+)+", "(a|aa)*", "(.*a){20}", "(a*)*a*(a*)*"] {
            let regex = try LabelRegex(pattern)
            var steps = 0

            // when
            let matched = regex.matches(value, steps: &steps)

            // then
            #expect(!matched, "\(pattern)")
            #expect(steps <= (value.unicodeScalars.count + 1) * regex.instructionCount, "\(pattern): \(steps) steps")
        }
    }

    @Test("a value that matches only after a branch backtracking engines give up on still matches")
    func matchBehindAnExponentialBranch() throws {
        // given: ICU answered "no match" here after 0.4 s, so such a silence let the alert page
        let regex = try LabelRegex("(a+)+b|a*")
        let value = String(repeating: "a", count: 16_000)
        var steps = 0

        // when
        let matched = regex.matches(value, steps: &steps)

        // then
        #expect(matched)
        #expect(steps <= (value.unicodeScalars.count + 1) * regex.instructionCount)
    }

    @Test("a matcher keeps its compiled regex: equal matchers compare by their text")
    func matcherCompilesOnce() throws {
        // given
        let first = try LabelMatcher(name: "instance", op: .matches, value: "web-(\\d+)")
        let second = try LabelMatcher.parse("instance=~\"web-(\\d+)\"")

        // then
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
        #expect(first.matches(["instance": "web-12"]))
        #expect(!first.matches(["instance": "web-x"]))
    }

    @Test("an API matcher with a pattern RE2 refuses names the reason")
    func matcherRefusal() {
        // when
        let error = #expect(throws: IncidentError.self) { try LabelMatcher.parse("instance=~(?!db).*") }

        // then
        #expect(error?.message.contains("lookahead and lookbehind are not supported") == true)
    }

    @Test("a stored matcher whose pattern no longer compiles loads and matches nothing")
    func storedMatcher() throws {
        // given: a document written when patterns went to ICU, which takes lookahead
        let document = Data(#"{"name":"instance","operator":"=~","value":"(?!db).*"}"#.utf8)
        let stored = JSONDecoder()
        stored.userInfo[LabelMatcher.storedDocument] = true

        // when
        let matcher = try stored.decode(LabelMatcher.self, from: document)
        let negated = try stored.decode(LabelMatcher.self, from: Data(#"{"name":"a","operator":"!~","value":"(?!x)"}"#.utf8))

        // then
        #expect(!matcher.matches(["instance": "web"]))
        #expect(negated.matches(["a": "anything"]))
        #expect(throws: (any Error).self) { try JSONDecoder().decode(LabelMatcher.self, from: document) }
    }
}
