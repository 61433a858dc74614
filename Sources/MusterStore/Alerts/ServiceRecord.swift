import Foundation
import MusterCore

/// A service responders are on the hook for; incidents name the services they affect.
public struct ServiceRecord: Codable, Sendable, Equatable {
    /// Slug such as `checkout-api`.
    public var id: String
    public var name: String
    public var description: String
    /// Where responders find the runbook, if there is one.
    public var runbookURL: String?
    public var createdAt: Date
    /// How alerts for this service group into incidents.
    public var alertPolicy: AlertPolicy
    /// The escalation policy that pages people when an incident of this service opens.
    public var escalationPolicy: String?
    /// The services this one depends on: their changes are suspects in its incidents too.
    public var dependsOn: [String] = []
    /// How many people its team brings to an incident; nil for a small team.
    public var responseSize: ResponseSize?

    public init(
        id: String, name: String, description: String = "", runbookURL: String? = nil, createdAt: Date,
        alertPolicy: AlertPolicy = .standard, escalationPolicy: String? = nil, dependsOn: [String] = [],
        responseSize: ResponseSize? = nil
    ) {
        self.responseSize = responseSize
        self.dependsOn = dependsOn
        self.escalationPolicy = escalationPolicy
        self.id = id
        self.name = name
        self.description = description
        self.runbookURL = runbookURL
        self.createdAt = createdAt
        self.alertPolicy = alertPolicy
    }

    /// Checks every field, naming the first one that is wrong.
    public func validate() throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        try alertPolicy.validate()
        try TextRules.require(name, field: "name", max: 120)
        try TextRules.limit(description, field: "description", max: 2_000)
        guard dependsOn.count <= 20 else { throw .invalidField(field: "dependsOn", reason: "may name at most 20 services.") }
        for dependency in dependsOn { try ServiceSlug.validate(dependency, field: "dependsOn") }
        if dependsOn.contains(id) { throw .invalidField(field: "dependsOn", reason: "names the service itself.") }
        if Set(dependsOn).count != dependsOn.count { throw .invalidField(field: "dependsOn", reason: "names a service twice.") }
        if let runbookURL {
            try TextRules.limit(runbookURL, field: "runbookURL", max: 2_000)
            guard let url = URL(string: runbookURL), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                throw .invalidField(field: "runbookURL", reason: "must be an http or https URL.")
            }
        }
    }
}
