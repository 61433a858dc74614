import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/.../integrations`: the keys monitoring systems send alerts with.
struct IntegrationController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var kind: IntegrationKind
        var name: String?
    }

    /// An integration with its new key and what to paste into the sender.
    struct KeyedView: ResponseEncodable {
        var integration: Integration
        /// Shown once; only its hash is stored.
        var key: String
        var url: String
        var setup: String
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("services/:id/integrations") { request, context -> EditedResponse<KeyedView> in
            let service = try context.parameters.require("id")
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let (integration, key) = try await env.stores.alerts.createIntegration(
                service: service, kind: body.kind, name: body.name ?? "\(body.kind.rawValue) for \(service)", at: env.now())
            return EditedResponse(status: .created, response: view(integration, key: key))
        }
        group.get("services/:id/integrations") { request, context -> ListEnvelope<Integration> in
            let service = try context.parameters.require("id")
            guard try await env.stores.services.service(service) != nil else {
                throw Problem.notFound("No service '\(service.prefix(80))'.")
            }
            return try ListEnvelope(paging: try await env.stores.alerts.integrations(service: service), request)
        }
        group.get("integrations") { request, _ -> ListEnvelope<Integration> in
            let service = try APICoding.service(request.uri.queryParameters)
            try await env.requireServiceFilter(service)
            return try ListEnvelope(paging: try await env.stores.alerts.integrations(service: service), request)
        }
        group.get("integrations/:id") { _, context -> Integration in
            let id = try id(context)
            guard let integration = try await env.stores.alerts.integration(id: id) else {
                throw Problem.notFound("No integration '\(id.uuidString)'.")
            }
            return integration
        }
        group.patch("integrations/:id") { request, context -> Integration in
            struct Rename: Decodable { var name: String }
            let body = try await APICoding.decode(Rename.self, from: request, limit: env.maxBodyBytes)
            return try await env.stores.alerts.renameIntegration(try id(context), to: body.name)
        }
        group.post("integrations/:id/test") { request, context -> IngestOutcome in
            _ = try context.writer()
            struct Body: Decodable { var resolve: Bool? }
            let resolve = try await APICoding.decodeIfPresent(Body.self, from: request, limit: env.maxBodyBytes)?.resolve ?? false
            let id = try id(context)
            guard let integration = try await env.stores.alerts.integration(id: id) else {
                throw Problem.notFound("No integration '\(id.uuidString)'.")
            }
            guard integration.revokedAt == nil else {
                throw Problem(
                    status: .conflict, slug: "revoked", title: "Integration revoked",
                    detail: "The integration '\(integration.name)' is revoked; it takes no alerts.")
            }
            let event = AlertEvent(
                action: resolve ? .resolve : .trigger, dedupKey: "muster-test-\(integration.id.uuidString)",
                summary: "Test alert through \(integration.name): Muster pages as a real alert would", source: integration.name,
                severity: .critical, labels: ["alertname": "MusterTest", "integration": integration.name],
                annotations: ["description": "Sent by 'muster integration test'; resolve it with --resolve."])
            return try await env.ingestor.submit(IngestRequest(events: [event], integration: integration))[0]
        }
        group.post("integrations/:id/rotate") { _, context -> KeyedView in
            let (integration, key) = try await env.stores.alerts.rotateIntegration(try id(context), at: env.now())
            env.integrationKeys.clear()
            return view(integration, key: key)
        }
        group.delete("integrations/:id") { _, context -> Integration in
            let revoked = try await env.stores.alerts.revokeIntegration(try id(context), at: env.now())
            env.integrationKeys.clear()
            return revoked
        }
        group.put("services/:id/alert-policy") { request, context -> ServiceRecord in
            let policy = try await APICoding.decode(AlertPolicy.self, from: request, limit: env.maxBodyBytes)
            return try await env.stores.services.setAlertPolicy(policy, for: try context.parameters.require("id"))
        }
    }

    private func id(_ context: MusterRequestContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("No integration '\(text.prefix(60))'.") }
        return id
    }

    func view(_ integration: Integration, key: String) -> KeyedView {
        let setup = IntegrationSetup(publicURL: env.publicURL)
        return KeyedView(
            integration: integration, key: key, url: setup.url(for: integration.kind, key: key),
            setup: setup.snippet(for: integration.kind, key: key))
    }
}

extension Integration: ResponseEncodable {}

extension IngestOutcome: ResponseEncodable {}
