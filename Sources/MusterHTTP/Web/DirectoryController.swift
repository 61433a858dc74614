import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/services` and `/people`: services with their integrations, and people with their contact methods.
struct DirectoryController {
    let env: APIEnvironment
    let pages: WebPages

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("services") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }
            return pages.page("services", try await ServicesPage.build(for: signedIn, env: env, notice: notice))
        }
        router.post("services") { request, _ -> Response in
            try await serviceForm(request, form: "service", fields: ["id", "name", "description", "runbookURL"], subject: nil) { form, _ in
                let service = ServiceRecord(
                    id: try form.required("id", "The id"), name: try form.required("name", "The name"),
                    description: form.text("description") ?? "", runbookURL: form.text("runbookURL"), createdAt: env.now())
                return (try await env.stores.services.createService(service).id, "service", nil)
            }
        }
        router.post("services/:id/policy") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await serviceForm(request, form: "policy", fields: ["policy"], subject: id) { form, _ in
                _ = try await env.stores.services.setEscalationPolicy(form.text("policy"), for: id)
                return (id, "policy", nil)
            }
        }
        router.post("services/:id/edit") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await serviceForm(request, form: "edit-\(id)", fields: ServiceForm.fields, subject: id) { form, _ in
                _ = try await env.stores.services.updateService(id, try ServiceForm.read(form))
                return (id, "edited", nil)
            }
        }
        router.post("services/:id/delete") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await serviceForm(request, form: "delete-service", fields: [], subject: id) { _, _ in
                try await env.stores.services.deleteService(id)
                return (id, "removed", nil)
            }
        }
        router.post("services/:id/integrations") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await serviceForm(request, form: "integration", fields: ["kind", "name"], subject: nil, kind: "integration") {
                form, _ in
                guard let kind = try form.choice("kind", IntegrationKind.self) else { throw Problem.invalid("kind", "Choose the sender.") }
                let (integration, key) = try await env.stores.alerts.createIntegration(
                    service: id, kind: kind, name: form.text("name") ?? "\(kind.rawValue) for \(id)", at: env.now())
                let setup = IntegrationSetup(publicURL: env.publicURL).snippet(for: kind, key: key)
                return (integration.id.uuidString, "", .init(name: integration.name, key: key, setup: setup))
            }
        }
        router.post("integrations/:id/rotate") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await serviceForm(request, form: "rotate", fields: [], subject: id, kind: "integration") { _, _ in
                guard let uuid = UUID(uuidString: id) else { throw Problem.notFound("No integration '\(id.prefix(40))'.") }
                let (integration, key) = try await env.stores.alerts.rotateIntegration(uuid, at: env.now())
                // The old key stops working now: no cached lookup may keep accepting it.
                env.integrationKeys.clear()
                let setup = IntegrationSetup(publicURL: env.publicURL).snippet(for: integration.kind, key: key)
                return (integration.id.uuidString, "", .init(name: integration.name, key: key, setup: setup, rotated: true))
            }
        }
        router.post("integrations/:id/revoke") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await serviceForm(request, form: "revoke", fields: [], subject: id, kind: "integration") { _, _ in
                guard let uuid = UUID(uuidString: id) else { throw Problem.notFound("No integration '\(id.prefix(40))'.") }
                _ = try await env.stores.alerts.revokeIntegration(uuid, at: env.now())
                env.integrationKeys.clear()
                return (id, "revoked", nil)
            }
        }
        router.get("people") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done").flatMap { Self.peopleNotices[$0] }
            return pages.page("people", try await PeoplePage.build(for: signedIn, env: env, notice: notice))
        }
        router.post("people/:id/contacts") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await contactForm(request, form: "contact-\(id)", fields: ["kind", "address"], person: id) { form in
                guard let kind = try form.choice("kind", ContactMethod.Kind.self) else { throw Problem.invalid("kind", "Choose a kind.") }
                let method = try ContactMethod(id: UUID(), kind: kind, address: try form.required("address", "The address"))
                _ = try await env.stores.onCall.addContactMethod(method, to: id)
                return "added"
            }
        }
        router.post("people/:id/contacts/:method/remove") { request, context -> Response in
            let id = try context.parameters.require("id")
            let method = try context.parameters.require("method")
            return try await contactForm(request, form: "remove", fields: [], person: id) { _ in
                guard let uuid = UUID(uuidString: method) else { throw Problem.notFound("No contact method '\(method.prefix(60))'.") }
                _ = try await env.stores.onCall.removeContactMethod(uuid, of: id)
                return "removed"
            }
        }
        router.post("people/:id/contacts/:method/test") { request, context -> Response in
            let id = try context.parameters.require("id")
            let method = try context.parameters.require("method")
            return try await PageFormRunner(env: env).run(request, form: "test", fields: [], back: "/people") { _, _ in
                _ = try await ContactTest(env: env).run(user: id, method: method)
                return .redirect("/people?done=tested")
            } refused: { signedIn, failure in
                pages.page("people", try await PeoplePage.build(for: signedIn, env: env, failure: failure), status: failure.status)
            }
        }
    }

    static let peopleNotices = [
        "tested": "The test message was delivered; the method is verified.", "added": "The contact method was added; test it to verify it.",
        "removed": "The contact method was removed.",
    ]

    /// A form on the people page that changes a person's contact methods, audited.
    private func contactForm(
        _ request: Request, form name: String, fields: Set<String>, person: String,
        perform: @escaping @Sendable (WebForm) async throws -> String
    ) async throws -> Response {
        try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: "/people") { form, signedIn in
            let audit = PageAudit(env: env)
            let before = try await audit.snapshot("user", person)
            let done = try await perform(form)
            try await audit.record(signedIn, "POST \(request.uri.path)", kind: "user", subject: person, before: before)
            return .redirect("/people?done=\(done)")
        } refused: { signedIn, failure in
            pages.page("people", try await PeoplePage.build(for: signedIn, env: env, failure: failure), status: failure.status)
        }
    }

    static let notices = [
        "service": "The service was made.", "policy": "The escalation policy was set.", "revoked": "The integration was revoked.",
        "edited": "The service was saved.", "removed": "The service was removed.",
    ]

    /// A form on the services page that changes a `kind` object, audited; `perform` answers the
    /// object's id, the notice to show, and a key to show once.
    private func serviceForm(
        _ request: Request, form name: String, fields: Set<String>, subject: String?, kind: String = "service",
        perform: @escaping @Sendable (WebForm, WebAuth.SignedIn) async throws -> (String, String, ServicesPage.Keyed?)
    ) async throws -> Response {
        try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: "/services") { form, signedIn in
            let audit = PageAudit(env: env)
            let before = try await subject.asyncMapped { try await audit.snapshot(kind, $0) } ?? nil
            let (id, done, keyed) = try await perform(form, signedIn)
            try await audit.record(signedIn, "POST \(request.uri.path)", kind: kind, subject: id, before: before)
            guard let keyed else { return .redirect("/services?done=\(done)") }
            return .page(pages.page("services", try await ServicesPage.build(for: signedIn, env: env, keyed: keyed), status: .created))
        } refused: { signedIn, failure in
            pages.page("services", try await ServicesPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
        }
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMapped<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
