import Foundation
import MusterCore
import Testing

@Suite("Log sampling")
struct LogSamplerTests {
    @Test("one line per key and interval gets through, and the next one says how many were held back")
    func sampling() {
        // given
        let sampler = LogSampler(interval: 60)
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        // when
        let first = sampler.take("a", at: t0)
        let quiet = (1...500).map { sampler.take("a", at: t0.addingTimeInterval(Double($0) / 10)) }
        let otherKey = sampler.take("b", at: t0.addingTimeInterval(1))
        let afterInterval = sampler.take("a", at: t0.addingTimeInterval(60))
        let quietAgain = sampler.take("a", at: t0.addingTimeInterval(61))
        let muchLater = sampler.take("a", at: t0.addingTimeInterval(3_600))
        // then
        #expect(first == 0)
        #expect(quiet.allSatisfy { $0 == nil })
        #expect(otherKey == 0)
        #expect(afterInterval == 500)
        #expect(quietAgain == nil)
        #expect(muchLater == 1)
    }
}
