import Foundation
import Hummingbird
import Yams

/// Serves the API description kept in `Resources/openapi.yaml` (compiled in as
/// `OpenAPIDocument`), as YAML and as JSON.
struct OpenAPIController {
    /// The document's text.
    static let yaml = OpenAPIDocument.yaml

    /// The same document as JSON, converted once.
    static let json: Data = {
        guard let object = try? Yams.load(yaml: yaml),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return Data("{}".utf8) }
        return data
    }()

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.yaml)))
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: Self.json)))
        }
    }
}
