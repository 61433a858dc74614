import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/status-subscribers`: who follows the status page, for admins (addresses are personal
/// data). A webhook added here is confirmed at once; an email address still confirms by mail.
struct StatusSubscriberController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var kind: SubscriberKind
        var address: String
        var components: [String]?
    }

    /// A subscriber and the last messages queued for it.
    struct SubscriberView: ResponseEncodable {
        var subscriber: Subscriber
        var deliveries: [Delivery]?

        struct Delivery: Encodable {
            var id: UUID
            var subject: String
            var status: Page.Status
            var attempts: Int
            var createdAt: Date
            var lastError: String?
        }

        enum CodingKeys: String, CodingKey { case deliveries }

        func encode(to encoder: any Encoder) throws {
            try subscriber.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(deliveries, forKey: .deliveries)
        }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.get("status-subscribers") { request, context -> ListEnvelope<SubscriberView> in
            _ = try context.admin(to: "see the status page's subscribers")
            return try ListEnvelope(paging: try await env.stores.statusPage.subscribers().map { SubscriberView(subscriber: $0) }, request)
        }
        group.get("status-subscribers/export") { _, context -> Response in
            _ = try context.admin(to: "export the status page's subscribers")
            return Self.csv(try await env.stores.statusPage.subscribers())
        }
        group.post("status-subscribers") { request, context -> EditedResponse<SubscriberView> in
            _ = try context.admin(to: "add a status page subscriber")
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let now = env.now()
            let subscriber = try Subscriber(
                id: UUID(), kind: body.kind, address: body.address, components: body.components ?? [], createdAt: now,
                confirmedAt: body.kind == .webhook ? now : nil)
            let settings = try await StatusPageSnapshot.settings(env)
            let confirmation =
                body.kind == .email
                ? StatusNotices(pageName: settings.name, publicURL: env.publicURL, indicator: .none, componentNames: [:]).confirmation()
                : nil
            let kept = try await env.stores.statusPage.subscribe(subscriber, confirmation: confirmation)
            return EditedResponse(status: kept.id == subscriber.id ? .created : .ok, response: SubscriberView(subscriber: kept))
        }
        group.get("status-subscribers/:id") { _, context -> SubscriberView in
            _ = try context.admin(to: "see the status page's subscribers")
            let subscriber = try await existing(context)
            let deliveries = try await env.stores.statusPage.subscriberDeliveries(subscriber.id, limit: 50).map {
                SubscriberView.Delivery(
                    id: $0.id, subject: $0.title, status: $0.status, attempts: $0.attempts, createdAt: $0.createdAt, lastError: $0.lastError
                )
            }
            return SubscriberView(subscriber: subscriber, deliveries: deliveries)
        }
        group.delete("status-subscribers/:id") { _, context -> HTTPResponse.Status in
            _ = try context.admin(to: "remove a status page subscriber")
            try await env.stores.statusPage.removeSubscriber(try await existing(context).id)
            return .noContent
        }
    }

    private func existing(_ context: MusterRequestContext) async throws -> Subscriber {
        let id = try context.parameters.require("id")
        guard let uuid = UUID(uuidString: id), let subscriber = try await env.stores.statusPage.subscriber(uuid) else {
            throw Problem.notFound("No subscriber '\(id.prefix(80))'.")
        }
        return subscriber
    }

    /// Every subscriber as a CSV download.
    static func csv(_ subscribers: [Subscriber]) -> Response {
        var csv = "id,kind,address,components,created_at,confirmed_at\r\n"
        for subscriber in subscribers {
            let fields = [
                subscriber.id.uuidString.lowercased(), subscriber.kind.rawValue, subscriber.address,
                subscriber.components.joined(separator: " "), RFC3339.format(subscriber.createdAt),
                subscriber.confirmedAt.map(RFC3339.format) ?? "",
            ]
            csv += fields.map(csvField).joined(separator: ",") + "\r\n"
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"subscribers.csv\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
