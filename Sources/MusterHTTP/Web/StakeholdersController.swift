import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/stakeholders`: stakeholder groups listed, added, changed and deleted from the pages.
struct StakeholdersController {
    let env: APIEnvironment
    let pages: WebPages

    static let fields: Set<String> = ["name", "mode", "members", "services", "minimumSeverity"]
    static let notices = ["added": "The group was added.", "changed": "The group was changed.", "deleted": "The group was deleted."]

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("stakeholders") { request, _ -> Response in
            guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(request) }
            let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }
            return pages.page("stakeholders", try await StakeholdersPage.build(for: signedIn, env: env, notice: notice))
        }
        router.post("stakeholders") { request, _ -> Response in
            try await groupForm(request, form: "group", fields: Self.fields.union(["id"]), subject: nil) { form in
                let group = try group(from: form, id: try form.required("id", "The id"), existing: nil)
                return (try await env.stores.communication.createStakeholderGroup(group).id, "added")
            }
        }
        router.post("stakeholders/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await groupForm(request, form: "edit", fields: Self.fields, subject: id) { form in
                guard let current = try await env.stores.communication.stakeholderGroup(id) else {
                    throw Problem.notFound("No stakeholder group '\(id.prefix(80))'.")
                }
                _ = try await env.stores.communication.replaceStakeholderGroup(try group(from: form, id: id, existing: current))
                return (id, "changed")
            }
        }
        router.post("stakeholders/:id/delete") { request, context -> Response in
            let id = try context.parameters.require("id")
            return try await groupForm(request, form: "delete", fields: [], subject: id) { _ in
                try await env.stores.communication.deleteStakeholderGroup(id)
                return (id, "deleted")
            }
        }
    }

    /// The group a form describes: members one a line as `kind:address` (a bare address is email).
    private func group(from form: WebForm, id: String, existing: StakeholderGroup?) throws -> StakeholderGroup {
        let members = try form.list("members", separatedBy: .newlines).map { line -> ContactMethod in
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            let (kind, address) =
                parts.count == 2 && ContactMethod.Kind(rawValue: parts[0].lowercased()) != nil
                ? (ContactMethod.Kind(rawValue: parts[0].lowercased())!, parts[1].trimmingCharacters(in: .whitespaces))
                : (ContactMethod.Kind.email, line)
            do {
                return try existing?.member(kind: kind, address: address) ?? ContactMethod(id: UUID(), kind: kind, address: address)
            } catch let error as IncidentError {
                throw Problem.invalid("members", "The line '\(line.prefix(80))': \(error.message)")
            }
        }
        return try StakeholderGroup(
            id: id, name: try form.required("name", "The name"), mode: try form.choice("mode", StakeholderMode.self) ?? .updates,
            members: members, services: form.list("services"), minimumSeverity: form.text("minimumSeverity"), scheme: env.scheme,
            createdAt: existing?.createdAt ?? env.now(), updatedAt: env.now())
    }

    /// A form of the page that changes a group, audited; `perform` answers its id and the notice.
    private func groupForm(
        _ request: Request, form name: String, fields: Set<String>, subject: String?,
        perform: @escaping @Sendable (WebForm) async throws -> (String, String)
    ) async throws -> Response {
        try await PageFormRunner(env: env).run(request, form: name, fields: fields, back: "/stakeholders") { form, signedIn in
            let audit = PageAudit(env: env)
            let before = try await subject.asyncMapped { try await audit.snapshot("stakeholder-group", $0) } ?? nil
            let (id, done) = try await perform(form)
            try await audit.record(signedIn, "POST \(request.uri.path)", kind: "stakeholder-group", subject: id, before: before)
            return .redirect("/stakeholders?done=\(done)")
        } refused: { signedIn, failure in
            pages.page("stakeholders", try await StakeholdersPage.build(for: signedIn, env: env, failure: failure), status: failure.status)
        }
    }
}
