import Foundation
import MusterCore

/// Changes to a service's descriptive fields; nil leaves a field as it is, and an empty
/// `runbookURL` removes the runbook link.
public struct ServiceEdit: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var runbookURL: String?
    /// Replaces the services it depends on; an empty list removes them.
    public var dependsOn: [String]?
    /// The team's response size.
    public var responseSize: ResponseSize?
    /// Replaces how its alerts group into incidents, in the same write as the rest.
    public var alertPolicy: AlertPolicy?

    public init(
        name: String? = nil, description: String? = nil, runbookURL: String? = nil, dependsOn: [String]? = nil,
        responseSize: ResponseSize? = nil, alertPolicy: AlertPolicy? = nil
    ) {
        self.alertPolicy = alertPolicy
        self.responseSize = responseSize
        self.dependsOn = dependsOn
        self.name = name
        self.description = description
        self.runbookURL = runbookURL
    }

    /// Applies the edit to `service` and checks the result.
    public func apply(to service: inout ServiceRecord) throws(IncidentError) {
        guard name != nil || description != nil || runbookURL != nil || dependsOn != nil || responseSize != nil || alertPolicy != nil else {
            throw .invalidField(field: "name", reason: "or description, runbookURL, dependsOn, responseSize or alertPolicy must be given.")
        }
        if let alertPolicy {
            try alertPolicy.validate()
            service.alertPolicy = alertPolicy
        }
        if let responseSize { service.responseSize = responseSize }
        if let dependsOn { service.dependsOn = dependsOn }
        if let name { service.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let description { service.description = description.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let runbookURL { service.runbookURL = runbookURL.isEmpty ? nil : runbookURL }
        try service.validate()
    }
}
