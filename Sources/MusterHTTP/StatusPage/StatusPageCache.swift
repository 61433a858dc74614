import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The public status page, rendered once per change and served from memory. A request finds the
/// rendered documents; when they are older than `maxAge`, one request asks the store whether
/// anything changed (a single cheap query) and renders again only if it did, while the others
/// wait for that answer. Every server keeps its own copy, so every server serves the page.
public final class StatusPageCache: Sendable {
    /// A document ready to send: its bytes and the validators a client or CDN revalidates with.
    struct Document: Sendable {
        var body: ByteBuffer
        var contentType: String
        var eTag: String
        var lastModified: String
    }

    /// What one rendering produced.
    struct Rendition: Sendable {
        var stamp: String
        var checkedAt: Date
        /// The page must be worked out again at this moment even if the store says nothing changed.
        var validUntil: Date
        var snapshot: StatusPageSnapshot
        var documents: [String: Document]
        /// Incident and maintenance pages rendered so far from this snapshot.
        let rendered: RenderedPages
    }

    /// Pages rendered on first request, kept until the next rendition.
    final class RenderedPages: Sendable {
        let pages = Mutex<[String: Document]>([:])
    }

    /// The document at `path`, or nil when there is none.
    func document(at path: String, _ env: APIEnvironment) async throws -> Document? {
        let rendition = try await current(env)
        if let document = rendition.documents[path] { return document }
        if let document = rendition.rendered.pages.withLock({ $0[path] }) { return document }
        guard let document = StatusPageRenderer(snapshot: rendition.snapshot, pages: pages).page(at: path) else { return nil }
        rendition.rendered.pages.withLock { $0[path] = document }
        return document
    }

    private let state = Mutex<Rendition?>(nil)
    private let refresh = Mutex<Task<Rendition, any Error>?>(nil)
    let maxAge: TimeInterval
    let pages: WebPages

    /// A cache whose documents are trusted for `maxAge` seconds before the store is asked again.
    public init(maxAge: TimeInterval) {
        self.maxAge = maxAge
        self.pages = WebPages()
    }

    /// The documents as they stand, rendered again first when needed.
    func current(_ env: APIEnvironment) async throws -> Rendition {
        let now = env.now()
        if let rendition = state.withLock({ $0 }), now.timeIntervalSince(rendition.checkedAt) < maxAge, now < rendition.validUntil {
            return rendition
        }
        let task = refresh.withLock { running -> Task<Rendition, any Error> in
            if let running { return running }
            let task = Task { try await self.renew(env) }
            running = task
            return task
        }
        defer { refresh.withLock { if $0 == task { $0 = nil } } }
        return try await task.value
    }

    private func renew(_ env: APIEnvironment) async throws -> Rendition {
        let now = env.now()
        let stamp = try await env.stores.statusPage.statusPageStamp()
        if var rendition = state.withLock({ $0 }), rendition.stamp == stamp, now < rendition.validUntil {
            rendition.checkedAt = now
            state.withLock { $0 = rendition }
            return rendition
        }
        let snapshot = try await StatusPageSnapshot.load(env)
        let rendition = Rendition(
            stamp: stamp, checkedAt: now, validUntil: Self.validUntil(snapshot), snapshot: snapshot,
            documents: StatusPageRenderer(snapshot: snapshot, pages: pages).documents(), rendered: RenderedPages())
        state.withLock { $0 = rendition }
        return rendition
    }

    /// The next change the page makes by itself, the next day (for the uptime bars), or a minute
    /// from now, whichever comes first.
    static func validUntil(_ snapshot: StatusPageSnapshot) -> Date {
        let nextDay =
            snapshot.calendar.date(byAdding: .day, value: 1, to: snapshot.calendar.startOfDay(for: snapshot.now)) ?? snapshot.now
        return [snapshot.board.nextChangeAt, nextDay, snapshot.now.addingTimeInterval(60)].compactMap { $0 }.min()!
    }

    /// A document made for a request, with the validators of the rendition it came from.
    static func document(_ bytes: Data, contentType: String, lastModified: Date) -> Document {
        let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
        return Document(
            body: ByteBuffer(bytes: bytes), contentType: contentType, eTag: "\"\(digest)\"",
            lastModified: StatusPageText.utc(lastModified, "EEE, dd MMM yyyy HH:mm:ss 'GMT'"))
    }
}
