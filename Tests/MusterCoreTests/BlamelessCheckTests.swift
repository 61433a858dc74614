import Foundation
import Testing

@testable import MusterCore

@Suite("Blameless-language check")
struct BlamelessCheckTests {
    let check = BlamelessCheck(people: ["john", "alice", "bob"])

    @Test(
        "sentences that blame people or judge them in hindsight are flagged with the rule that applies",
        arguments: [
            ("John deployed bad code.", "person-failed"),
            ("The team was careless with the rollout.", "judgement"),
            ("This should never have happened.", "hindsight"),
            ("The outage was caused by human error.", "human-error"),
            ("Alice forgot to renew the certificate.", "person-failed"),
            ("Bob, the on-call engineer, failed to acknowledge the page.", "person-failed"),
            ("We should have rolled back sooner.", "hindsight"),
            ("They didn't follow the runbook.", "person-failed"),
            ("It was @carol's fault.", "blame"),
            ("The on-call engineer ignored the warning.", "person-failed"),
            ("The root cause was a connection leak.", "single-root-cause"),
            ("The vendor is to blame for the delay.", "blame"),
            ("It was sloppy work.", "judgement"),
            ("Someone could've checked the dashboard.", "hindsight"),
            ("The reviewer missed the leak.", "person-failed"),
        ])
    func flagged(sentence: String, rule: String) {
        let findings = check.findings(in: sentence)
        #expect(findings.contains { $0.rule == rule }, "\(sentence): \(findings.map(\.rule))")
    }

    @Test(
        "sentences about systems, and technical words that look alike, are not flagged",
        arguments: [
            "Deployment v2.34 introduced code that failed to close database connections on error paths.",
            "Code review missed the connection leak.",
            "Load testing didn't catch the issue.",
            "The deployment pipeline lacked integration tests.",
            "The runbook was outdated.",
            "The alert didn't fire because the threshold was wrong.",
            "A segmentation fault in the parser crashed the worker.",
            "We ran fault injection tests and the retries ignored the timeout.",
            "Our culture is blameless; we look for what allowed this.",
            "The health check failed to connect to the database.",
            "Alice rolled back to v2.33 at 14:35 and the service recovered.",
            "Bob noticed the error rate first and paged the team.",
            "A contributing cause was the missing circuit breaker.",
            "Nobody is to blame for the delay.",
        ])
    func notFlagged(sentence: String) {
        #expect(check.findings(in: sentence).isEmpty, "\(sentence): \(check.findings(in: sentence).map { "\($0.rule) \($0.excerpt)" })")
    }

    @Test("a finding says where it is, what it matched, why and what to write instead")
    func placeAndAdvice() throws {
        // given a section of two lines
        let text = "Detection took 8 minutes.\nThe operator should’ve waited for the canary."
        // when it is checked
        let finding = try #require(check.findings(in: text).first)
        // then the finding points at the phrase as written, on line 2
        #expect(finding.rule == "hindsight" && finding.excerpt == "should’ve")
        #expect(finding.line == 2 && finding.column == 14 && finding.offset == 39)
        #expect(!finding.explanation.isEmpty && !finding.suggestion.isEmpty)
    }

    @Test("a person named only later in the sentence does not make a system's failure a person's")
    func subjectNearby() {
        #expect(check.findings(in: "The cron job failed to run, so Alice ran it by hand.").isEmpty)
        #expect(check.findings(in: "Alice said the cron job failed to run.").isEmpty)
    }

    @Test("rules from the configuration are checked beside the standard ones")
    func extraRules() {
        let custom = BlamelessCheck(
            rules: BlamelessCheck.standardRules + [
                BlamelessRule(
                    id: "local", phrases: ["cowboy deploy"], explanation: "A label for people.", suggestion: "Say what was skipped.")
            ])
        #expect(custom.findings(in: "It was a cowboy deploy.").map(\.rule) == ["local"])
    }
}
