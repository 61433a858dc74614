import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The firing alerts a silence's matchers take, answered when the silence is made (or only
/// previewed, with `dryRun=true`): a typo in a label name, which silences nothing, or a matcher
/// broad enough to hide an outage shows before anyone relies on the silence.
///
/// The CLI reads the same type back from the answer.
public struct SilencePreview: Codable, Sendable {
    public struct Sample: Codable, Sendable {
        public var id: UUID
        public var service: String
        public var summary: String
        public var labels: [String: String]
        /// The incident the alert is on, when it is on one.
        public var incident: String?
    }

    /// Firing alerts the matchers take, among those read.
    public var firingAlerts: Int
    /// False when more alerts fire than one preview reads (`maxRead`); then the count is a floor.
    public var complete: Bool
    /// The most recently seen of them, at most `sampleSize`.
    public var sample: [Sample]

    static let maxRead = 50_000
    static let sampleSize = 10

    /// Reads the firing alerts, newest first, a page at a time, and counts those all `matchers` take.
    static func of(_ matchers: [LabelMatcher], in store: any AlertStore) async throws -> SilencePreview {
        var preview = SilencePreview(firingAlerts: 0, complete: true, sample: [])
        var read = 0
        while true {
            let page = try await store.alerts(AlertQuery(status: .firing, limit: AlertQuery.maxLimit, offset: read))
            for alert in page where Silence.take(alert.labels, service: alert.service, matchers: matchers) {
                preview.firingAlerts += 1
                if preview.sample.count < sampleSize {
                    preview.sample.append(
                        Sample(
                            id: alert.id, service: alert.service, summary: alert.summary, labels: alert.labels,
                            incident: alert.incidentReference))
                }
            }
            read += page.count
            if page.count < AlertQuery.maxLimit { return preview }
            if read >= maxRead {
                preview.complete = false
                return preview
            }
        }
    }
}

/// A silence as stored, with what its matchers take now under `preview`; `dryRun` when it was
/// only previewed and not stored.
struct SilenceAnswer: ResponseEncodable {
    var silence: Silence
    var preview: SilencePreview
    var dryRun: Bool

    private enum CodingKeys: String, CodingKey { case preview, dryRun }

    func encode(to encoder: any Encoder) throws {
        try silence.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(preview, forKey: .preview)
        if dryRun { try container.encode(true, forKey: .dryRun) }
    }
}
