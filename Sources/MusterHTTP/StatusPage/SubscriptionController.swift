import Foundation
import HTTPTypes
import Hummingbird
import MusterCore
import MusterStore

/// Self-service mail subscriptions to the public status page: the form, the confirmation (double
/// opt-in: nothing is sent before it) and leaving, one click from any mail (RFC 8058). Asking is
/// rate limited per address and per client, and answers the same whether or not the address was
/// subscribed already, so the form tells no one who follows the page.
struct SubscriptionController {
    let env: APIEnvironment
    let pages: WebPages

    struct Choice: PageModel {
        var id: String
        var name: String
        var checked: Bool
    }

    /// `/status/subscribe`, and the answers of the links.
    struct Page: PageModel {
        var frame: PublicStatusPages.Frame
        var components: [Choice]
        var email: String
        var error: String?
        var notice: String?
        /// For the confirm and unsubscribe pages: the form's action, and what its button says.
        var action: String?
        var button: String?
        var heading: String
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("status/subscribe") { _, _ in try await self.form(email: "", chosen: [], error: nil, notice: nil) }
        router.post("status/subscribe") { request, context in
            let fields = try await WebForm.read(request, allowed: ["email", "components"])
            let email = fields.text("email") ?? ""
            let chosen = fields.list("components")
            let now = env.now()
            let client = context.remoteAddress?.ipAddress ?? "unknown"
            let limits = [(env.subscribeByAddress, email.lowercased()), (env.subscribeByClient, client)]
            if limits.contains(where: { limiter, key in limiter.take(1, for: key, at: now) != nil }) {
                return try await self.form(
                    email: email, chosen: chosen, error: "Too many requests from here or for this address; try again in a few minutes.",
                    notice: nil, status: .tooManyRequests)
            }
            let subscriber: Subscriber
            do {
                subscriber = try Subscriber(
                    id: UUID(), kind: .email, address: email, components: chosen, createdAt: now, client: client)
            } catch let error as IncidentError {
                return try await self.form(email: email, chosen: chosen, error: error.message, notice: nil, status: .badRequest)
            }
            let settings = try await StatusPageSnapshot.settings(env)
            let confirmation = StatusNotices(
                pageName: settings.name, publicURL: env.publicURL, indicator: .none, componentNames: [:]
            ).confirmation()
            do {
                _ = try await env.stores.statusPage.subscribe(subscriber, confirmation: confirmation)
            } catch StoreError.invalid(_, let reason) {
                return try await self.form(email: email, chosen: chosen, error: "Components \(reason)", notice: nil, status: .badRequest)
            }
            return try await self.form(
                email: "", chosen: [],
                error: nil, notice: "Check \(subscriber.address): a message there asks you to confirm. Nothing is sent before you do.")
        }
        for action in [SubscriberLinks.Action.confirm, .unsubscribe] {
            router.get(RouterPath("status/subscriptions/:id/\(action.rawValue)")) { request, context in
                let id = try verified(action, request, context)
                let known = try await env.stores.statusPage.subscriber(id) != nil
                return try await answer(
                    heading: action == .confirm ? "Confirm your subscription" : "Leave the status page's mail",
                    notice: known ? nil : "This subscription no longer exists.",
                    action: known
                        ? "/status/subscriptions/\(id.uuidString.lowercased())/\(action.rawValue)?sig=\(request.uri.queryParameters.get("sig") ?? "")"
                        : nil,
                    button: action == .confirm ? "Confirm" : "Unsubscribe")
            }
            router.post(RouterPath("status/subscriptions/:id/\(action.rawValue)")) { request, context in
                let id = try verified(action, request, context)
                switch action {
                case .confirm:
                    let subscriber = try await env.stores.statusPage.confirmSubscriber(id, at: env.now())
                    return try await answer(
                        heading: "Subscribed", notice: "\(subscriber.address) will hear of incidents and maintenance.", action: nil,
                        button: nil)
                case .unsubscribe:
                    // Already gone is fine: a mail client may send the one-click request twice.
                    do { try await env.stores.statusPage.removeSubscriber(id) } catch StoreError.notFound {}
                    return try await answer(
                        heading: "Unsubscribed", notice: "No more mail will be sent to this address.", action: nil, button: nil)
                }
            }
        }
    }

    /// The subscriber a signed link names; a link that was altered is not found.
    private func verified(_ action: SubscriberLinks.Action, _ request: Request, _ context: MusterRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")),
            env.subscriberLinks.verify(action, subscriber: id, signature: request.uri.queryParameters.get("sig") ?? "")
        else { throw Problem.notFound("This link is not valid; use the one in the latest message.") }
        return id
    }

    private func form(email: String, chosen: [String], error: String?, notice: String?, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let snapshot = try await env.statusPage.current(env).snapshot
        let choices = snapshot.board.components.map {
            Choice(id: $0.component.id, name: $0.component.name, checked: chosen.contains($0.component.id))
        }
        let model = Page(
            frame: PublicStatusPages.Frame(snapshot), components: choices, email: email, error: error, notice: notice, action: nil,
            button: nil, heading: "Subscribe to updates")
        return publicPage(pages.page("status-subscribe", model, status: status))
    }

    private func answer(heading: String, notice: String?, action: String?, button: String?) async throws -> Response {
        let snapshot = try await env.statusPage.current(env).snapshot
        let model = Page(
            frame: PublicStatusPages.Frame(snapshot), components: [], email: "", error: nil, notice: notice, action: action,
            button: button, heading: heading)
        return publicPage(pages.page("status-subscription", model))
    }

    /// The public pages load the status page's style sheet, and may show the configured logo.
    private func publicPage(_ response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' https:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        return response
    }
}
