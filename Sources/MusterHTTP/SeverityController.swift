import Foundation
import Hummingbird
import MusterCore

/// `/api/v1/severities`: the installation's severity scheme and the impact matrix.
struct SeverityController {
    let env: APIEnvironment

    struct SchemeView: ResponseEncodable {
        var levels: [Severity]
        var userImpacts: [String]
        var businessImpacts: [String]
        /// `matrix[user][business]` is the proposed level name.
        var matrix: [String: [String: String]]
    }

    struct ProposalView: ResponseEncodable {
        var userImpact: UserImpact
        var businessImpact: BusinessImpact
        var severity: Severity
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.get("severities") { _, context -> SchemeView in
            _ = try context.caller()
            var matrix: [String: [String: String]] = [:]
            for users in UserImpact.allCases {
                for business in BusinessImpact.allCases {
                    matrix[users.rawValue, default: [:]][business.rawValue] = env.scheme.propose(users: users, business: business).name
                }
            }
            return SchemeView(
                levels: env.scheme.levels, userImpacts: UserImpact.allCases.map(\.rawValue),
                businessImpacts: BusinessImpact.allCases.map(\.rawValue), matrix: matrix)
        }
        group.get("severities/propose") { request, context -> ProposalView in
            _ = try context.caller()
            let parameters = request.uri.queryParameters
            guard let users = parameters.get("userImpact").flatMap(UserImpact.init(rawValue:)) else {
                throw Problem.invalid("userImpact", "'userImpact' must be one of: \(UserImpact.allowedValues).")
            }
            guard let business = parameters.get("businessImpact").flatMap(BusinessImpact.init(rawValue:)) else {
                throw Problem.invalid("businessImpact", "'businessImpact' must be one of: \(BusinessImpact.allowedValues).")
            }
            return ProposalView(userImpact: users, businessImpact: business, severity: env.scheme.propose(users: users, business: business))
        }
    }
}
