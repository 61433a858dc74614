import Foundation
import Yams

/// The methods each documented path answers, read from the OpenAPI document (which a test keeps
/// equal to the routes): a known path asked with another method answers 405 with `Allow`, not 404.
enum RouteMethods {
    private struct Route {
        var pattern: NSRegularExpression
        var methods: [String]
    }

    private static let routes: [Route] = {
        guard let document = try? Yams.load(yaml: OpenAPIController.yaml) as? [String: Any],
            let paths = document["paths"] as? [String: Any]
        else { return [] }
        return paths.compactMap { template, item in
            guard let operations = item as? [String: Any] else { return nil }
            var methods = operations.keys.map { $0.uppercased() }.filter { ["GET", "POST", "PUT", "PATCH", "DELETE"].contains($0) }
            if methods.contains("GET") { methods.append("HEAD") }
            let escaped = NSRegularExpression.escapedPattern(for: template)
                .replacingOccurrences(of: #"\{[^}]+\}"#, with: "[^/]+", options: .regularExpression)
            guard let pattern = try? NSRegularExpression(pattern: "^" + escaped + "$") else { return nil }
            return Route(pattern: pattern, methods: methods.sorted())
        }
    }()

    /// The methods `path` answers, or nil when no documented route has that path.
    static func allowed(for path: String) -> [String]? {
        let range = NSRange(path.startIndex..., in: path)
        return routes.first { $0.pattern.firstMatch(in: path, range: range) != nil }?.methods
    }
}
