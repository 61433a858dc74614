import Foundation
import MusterCore
import MusterStore

/// `/services`: each service with its escalation policy and integrations, and how to set a sender up.
struct ServicesPage: PageModel {
    struct IntegrationRow: PageModel {
        var id: String
        var name: String
        var kind: String
        var keyPrefix: String
        var live: Bool
        var created: PageViews.Time
        var setup: String
    }
    struct ServiceRow: PageModel {
        var id: String
        var name: String
        var description: String
        var runbook: String?
        var policy: String?
        var policies: [PageViews.Option]
        var integrations: [IntegrationRow]
        var dependsOn: String?
        var responseSize: String?
        var grouping: String
        /// The edit form's fields: the service's settings, or what was typed into a refused form.
        var form: [String: String]
        var autoResolve: Bool
        var sizes: [PageViews.Option]
        /// Why the edit form was just refused.
        var editError: String?
    }
    /// A key just made: shown once with the set-up that uses it.
    struct Keyed: PageModel {
        var name: String
        var key: String
        var setup: String
        /// A new key for an integration that had one, rather than a new integration.
        var rotated = false
    }

    var person: [String: String]
    var canWrite: Bool
    var services: [ServiceRow]
    var kinds: [PageViews.Option]
    var keyed: Keyed?
    var notice: String?
    var banner: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, keyed: Keyed? = nil, notice: String? = nil, failure: FormFailure? = nil
    ) async throws -> ServicesPage {
        async let services = env.stores.services.services()
        async let integrations = env.stores.alerts.integrations(service: nil)
        async let policies = env.stores.onCall.escalationPolicies()
        let byService = Dictionary(grouping: try await integrations, by: \.service)
        let policyList = try await policies
        let setup = IntegrationSetup(publicURL: env.publicURL)
        return ServicesPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            services: try await services.map { service in
                let refused = failure.flatMap { $0.form == "edit-\(service.id)" ? $0 : nil }
                let form = refused.map { failed in ServiceForm.values(service).merging(failed.values) { $1 } } ?? ServiceForm.values(service)
                let policy = service.alertPolicy
                return ServiceRow(
                    id: service.id, name: service.name, description: service.description, runbook: service.runbookURL,
                    policy: service.escalationPolicy,
                    policies: [PageViews.Option(value: "", label: "None: page nobody")]
                        + policyList.map { PageViews.Option(value: $0.id, label: $0.name, selected: $0.id == service.escalationPolicy) },
                    integrations: (byService[service.id] ?? []).map { integration in
                        IntegrationRow(
                            id: integration.id.uuidString, name: integration.name, kind: integration.kind.rawValue,
                            keyPrefix: integration.keyPrefix, live: integration.revokedAt == nil, created: .init(integration.createdAt),
                            setup: setup.snippet(for: integration.kind, key: "<the key shown when it was made>"))
                    },
                    dependsOn: service.dependsOn.isEmpty ? nil : service.dependsOn.joined(separator: ", "),
                    responseSize: service.responseSize?.rawValue,
                    grouping: (policy.groupBy.isEmpty ? "All alerts share" : "Alerts with the same \(policy.groupBy.joined(separator: ", ")) share")
                        + " an incident opened within the last \(DurationText.format(policy.groupWindowSeconds))"
                        + (policy.autoResolve ? ", which resolves by itself once every alert has" : ""),
                    form: form, autoResolve: refused == nil ? policy.autoResolve : form["autoResolve"] == "true",
                    sizes: (service.responseSize == nil ? [PageViews.Option(value: "", label: "not said")] : [])
                        + ResponseSize.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == form["responseSize"]) },
                    editError: refused?.detail)
            },
            kinds: IntegrationKind.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue) }, keyed: keyed,
            notice: notice, banner: failure.flatMap { $0.form.hasPrefix("edit-") ? nil : $0.banner }, errors: failure?.errors ?? [:],
            values: failure.map { [$0.form: $0.values] } ?? [:])
    }
}

/// `/people`: who can be paged, with their contact methods and a button to test each.
struct PeoplePage: PageModel {
    struct Contact: PageModel {
        var personID: String
        var contactID: String
        var kind: String
        var address: String
        var verified: Bool
    }
    struct Person: PageModel {
        var id: String
        var name: String
        var role: String
        var timeZone: String
        var active: Bool
        var contacts: [Contact]
        /// The add form's kinds, the one typed before a refusal selected.
        var contactKinds: [PageViews.Option]
        var typedAddress: String?
        var contactError: String?
    }

    var person: [String: String]
    var canWrite: Bool
    var people: [Person]
    var notice: String?
    var banner: String?

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, notice: String? = nil, failure: FormFailure? = nil
    ) async throws -> PeoplePage {
        // Viewers see webhook and Slack URLs masked, as in the API: each is a credential.
        let masking = signedIn.user.role == .viewer
        return PeoplePage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            people: try await env.stores.onCall.users().map { masking ? $0.masked : $0 }.map { user in
                let refused = failure?.form == "contact-\(user.id)" ? failure : nil
                return Person(
                    id: user.id, name: user.name, role: user.role.rawValue, timeZone: user.timeZone, active: user.isActive,
                    contacts: user.contactMethods.map {
                        Contact(
                            personID: user.id, contactID: $0.id.uuidString, kind: $0.kind.rawValue, address: $0.address,
                            verified: $0.verifiedAt != nil)
                    },
                    contactKinds: ContactMethod.Kind.allCases.map {
                        PageViews.Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == refused?.values["kind"])
                    },
                    typedAddress: refused?.values["address"], contactError: refused?.detail)
            }, notice: notice, banner: failure?.banner)
    }
}
