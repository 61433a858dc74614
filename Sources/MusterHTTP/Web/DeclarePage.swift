import Foundation
import MusterCore
import MusterStore

/// The form that declares an incident: the impact matrix proposes a severity as the responder
/// assesses the impact, and the responder may choose another.
struct DeclarePage: PageModel {
    var person: [String: String]
    var canWrite: Bool
    var services: [PageViews.Option]
    var userImpacts: [PageViews.Option]
    var businessImpacts: [PageViews.Option]
    var severities: [PageViews.Option]
    var people: [PageViews.Option]
    var matrix: PageViews.Matrix
    var values: [String: String]
    var flags: [PageViews.Option]
    var banner: String?
    var errors: [String: String]

    static let fields: Set<String> = [
        "title", "summary", "services", "userImpact", "businessImpact", "severity", "commander", "customerFacing", "dataLoss",
        "security", "usersAffectedCount", "impactStartedAt", "detectedAt", "channel", "bridge",
    ]

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, values typed: [String: String]? = nil, banner: String? = nil,
        errors: [String: String] = [:]
    ) async throws -> DeclarePage {
        let values = typed ?? ["commander": signedIn.user.id]
        let chosenServices = Set(WebForm(fields: values).list("services"))
        return DeclarePage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            services: try await env.stores.services.services().map {
                PageViews.Option(value: $0.id, label: $0.name, selected: chosenServices.contains($0.id))
            },
            userImpacts: UserImpact.allCases.map {
                PageViews.Option(
                    value: $0.rawValue, label: PageViews.Matrix.label($0.rawValue), selected: values["userImpact"] == $0.rawValue)
            },
            businessImpacts: BusinessImpact.allCases.map {
                PageViews.Option(
                    value: $0.rawValue, label: PageViews.Matrix.label($0.rawValue), selected: values["businessImpact"] == $0.rawValue)
            },
            severities: [PageViews.Option(value: "", label: "As the matrix proposes")]
                + PageViews.severities(env.scheme, selected: values["severity"]),
            people: [PageViews.Option(value: "", label: "Nobody yet")]
                + (try await env.stores.onCall.users()).filter(\.isActive).map {
                    PageViews.Option(value: $0.id, label: "\($0.name) (\($0.id))", selected: $0.id == values["commander"])
                },
            matrix: PageViews.Matrix(scheme: env.scheme), values: values,
            flags: [("customerFacing", "Customers see it"), ("dataLoss", "Data was lost"), ("security", "It is a security incident")].map {
                PageViews.Option(value: $0.0, label: $0.1, selected: values[$0.0] == "on")
            },
            banner: banner, errors: errors)
    }

    /// The declaration the form describes.
    static func declaration(_ form: WebForm) throws -> IncidentDeclaration {
        let impact = Impact(
            usersAffectedCount: try form.number("usersAffectedCount", "Users affected", in: 0...Int(Int32.max)),
            userImpact: try form.choice("userImpact", UserImpact.self),
            businessImpact: try form.choice("businessImpact", BusinessImpact.self),
            customerFacing: form.text("customerFacing") == "on", dataLoss: form.text("dataLoss") == "on",
            security: form.text("security") == "on")
        let assessed =
            impact.userImpact != nil || impact.businessImpact != nil || impact.customerFacing || impact.dataLoss
            || impact.security || impact.usersAffectedCount != nil
        return IncidentDeclaration(
            title: try form.required("title", "The title"), summary: form.text("summary"), services: form.list("services"),
            severity: form.text("severity"), impact: assessed ? impact : nil, impactStartedAt: try form.time("impactStartedAt"),
            detectedAt: try form.time("detectedAt"), commander: form.text("commander"), channel: form.text("channel"),
            bridge: form.text("bridge"))
    }
}
