import Foundation
import MusterCore
import MusterStore

/// A test message to one of a person's contact methods; the method is marked verified when it
/// arrives. The API and the people page both send it.
struct ContactTest {
    let env: APIEnvironment

    /// The person after the test; fails with the reason when the message did not get through.
    func run(user userID: String, method text: String) async throws -> User {
        guard let user = try await env.stores.onCall.user(userID) else { throw Problem.notFound("No user '\(userID.prefix(80))'.") }
        guard let method = UUID(uuidString: text), let contact = user.contactMethods.first(where: { $0.id == method }) else {
            throw Problem.notFound("\(user.id) has no contact method '\(text.prefix(60))'.")
        }
        guard let tester = env.contactTester else {
            throw Problem(
                status: .serviceUnavailable, slug: "no-channels", title: "No delivery channels",
                detail: "This server sends no notifications.")
        }
        let now = env.now()
        switch await tester(contact, user.id, now) {
        case .delivered:
            return try await env.stores.onCall.verifyContactMethod(contact.id, of: user.id, at: now)
        case .deferred:
            throw Problem(
                status: .tooManyRequests, slug: "rate-limited", title: "Too many messages",
                detail: "This contact method is over its page rate; try again in a minute.", retryAfterSeconds: 60)
        case .failed(let error), .impossible(let error):
            throw Problem(
                status: .badGateway, slug: "delivery-failed", title: "Test message not delivered",
                detail: "The test message to \(contact.kind.rawValue) \(contact.address.prefix(80)) failed: \(error.prefix(300))")
        }
    }
}
