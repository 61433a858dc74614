import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/escalation-policies`, a service's policy, and an incident's escalation.
struct EscalationController {
    let env: APIEnvironment

    struct ServicePolicyRequest: Decodable {
        var escalationPolicy: String?
        /// Also page the service's open incidents that nobody is being paged for.
        var pageOpen: Bool?
    }

    /// The service, and the open incidents the new policy paged.
    struct ServicePolicyView: ResponseEncodable {
        var service: ServiceRecord
        var paged: [String]

        func encode(to encoder: any Encoder) throws {
            try service.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(paged, forKey: .paged)
        }

        enum CodingKeys: String, CodingKey { case paged }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("escalation-policies") { request, _ -> EditedResponse<EscalationPolicy> in
            let policy = try await APICoding.decode(EscalationPolicy.self, from: request, limit: env.maxBodyBytes)
            return EditedResponse(status: .created, response: try await env.stores.onCall.createEscalationPolicy(policy, at: env.now()))
        }
        group.get("escalation-policies") { request, _ -> ListEnvelope<EscalationPolicy> in
            try ListEnvelope(paging: try await env.stores.onCall.escalationPolicies(), request)
        }
        group.get("escalation-policies/:id") { _, context -> EscalationPolicy in
            let id = try context.parameters.require("id")
            guard let policy = try await env.stores.onCall.escalationPolicy(id) else {
                throw Problem.notFound("No escalation policy '\(id.prefix(80))'.")
            }
            return policy
        }
        group.put("escalation-policies/:id") { request, context -> EscalationPolicy in
            let policy = try await APICoding.decode(EscalationPolicy.self, from: request, limit: env.maxBodyBytes)
            let id = try context.parameters.require("id")
            guard policy.id == id else {
                throw Problem.invalid("id", "'id' is '\(policy.id)' but the URL names '\(id.prefix(80))'; a policy's id cannot change.")
            }
            return try await env.stores.onCall.replaceEscalationPolicy(policy)
        }
        group.delete("escalation-policies/:id") { _, context -> HTTPResponse.Status in
            try await env.stores.onCall.deleteEscalationPolicy(try context.parameters.require("id"))
            return .noContent
        }
        group.put("services/:id/escalation-policy") { request, context -> ServicePolicyView in
            let body = try await APICoding.decode(ServicePolicyRequest.self, from: request, limit: env.maxBodyBytes)
            let service = try context.parameters.require("id")
            guard body.pageOpen == true else {
                return ServicePolicyView(
                    service: try await env.stores.services.setEscalationPolicy(body.escalationPolicy, for: service), paged: [])
            }
            guard let policy = body.escalationPolicy else {
                throw Problem.invalid("pageOpen", "'pageOpen' needs an 'escalationPolicy' to page with.")
            }
            let (record, paged) = try await env.stores.services.setEscalationPolicy(
                policy, for: service, pagingOpenIncidents: env.scheme, at: env.now())
            return ServicePolicyView(service: record, paged: paged)
        }
        group.get("incidents/:id/escalation") { _, context -> Escalation in
            let incident = try await incident(context)
            guard let escalation = try await env.stores.paging.escalation(of: incident.id) else {
                throw Problem.notFound("\(incident.reference) has no escalation: its services had no escalation policy when it opened.")
            }
            return escalation
        }
        group.get("incidents/:id/pages") { request, context -> ListEnvelope<Page> in
            let masking = try context.caller().role == .viewer
            let pages = try await env.stores.paging.notifications(of: try await incident(context).id).map { page in
                var shown = page
                if masking { shown.contact = page.contact.masked }
                return shown
            }
            return try ListEnvelope(paging: pages, request, maxLimit: 10_000)
        }
    }

    private func incident(_ context: MusterRequestContext) async throws -> Incident {
        let key = try context.parameters.require("id")
        guard let incident = try await env.stores.incidents.incident(key) else {
            throw Problem.notFound("No incident '\(key.prefix(120))'.")
        }
        return incident
    }
}

extension EscalationPolicy: ResponseEncodable {}
extension Escalation: ResponseEncodable {}
extension Page: ResponseEncodable {}
