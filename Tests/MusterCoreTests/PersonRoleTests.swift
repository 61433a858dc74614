import Foundation
import MusterCore
import Testing

@Suite("People's roles")
struct PersonRoleTests {
    @Test("a person stored before roles existed reads as a responder")
    func legacyUser() throws {
        // given a document without a role
        let json = #"{"id":"ann","name":"Ann","email":"ann@example.com","timeZone":"UTC","contactMethods":[],"createdAt":0}"#
        // when
        let user = try JSONDecoder().decode(User.self, from: Data(json.utf8))
        // then
        #expect(user.role == .responder)
    }
}
