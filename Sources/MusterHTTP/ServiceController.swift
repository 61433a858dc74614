import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/services`: the services incidents are declared against.
struct ServiceController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var id: String
        var name: String
        var description: String?
        var runbookURL: String?
        var dependsOn: [String]?
        var responseSize: ResponseSize?
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("services") { request, context -> EditedResponse<ServiceRecord> in
            _ = try context.writer()
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let service = ServiceRecord(
                id: body.id, name: body.name.trimmingCharacters(in: .whitespacesAndNewlines),
                description: body.description ?? "", runbookURL: body.runbookURL, createdAt: env.now(), dependsOn: body.dependsOn ?? [],
                responseSize: body.responseSize)
            let created = try await env.stores.services.createService(service)
            var response = EditedResponse(status: .created, response: created)
            response.headers[.location] = "/api/v1/services/\(created.id)"
            return response
        }
        group.get("services") { request, context -> ListEnvelope<ServiceRecord> in
            _ = try context.caller()
            return try ListEnvelope(paging: try await env.stores.services.services(), request)
        }
        group.patch("services/:id") { request, context -> ServiceRecord in
            _ = try context.writer()
            let edit = try await APICoding.decode(ServiceEdit.self, from: request, limit: env.maxBodyBytes)
            return try await env.stores.services.updateService(try context.parameters.require("id"), edit)
        }
        group.delete("services/:id") { _, context -> HTTPResponse.Status in
            _ = try context.writer()
            try await env.stores.services.deleteService(try context.parameters.require("id"))
            return .noContent
        }
        group.get("services/:id") { _, context -> ServiceRecord in
            _ = try context.caller()
            let id = try context.parameters.require("id")
            guard let service = try await env.stores.services.service(id) else { throw Problem.notFound("No service '\(id.prefix(80))'.") }
            return service
        }
    }
}

extension ServiceRecord: ResponseEncodable {}
extension TimelineEntry: ResponseEncodable {}
extension IncidentView: ResponseEncodable {}
extension IncidentDetailView: ResponseEncodable {}
extension IncidentPageView: ResponseEncodable {}
