import MusterCore
import Testing

@Suite("Email addresses")
struct EmailAddressTests {
    @Test(
        "plain addresses are taken",
        arguments: ["ann@example.com", "ann.lee+pager@mail.example.co.uk", "o'neil@example.com".replacingOccurrences(of: "'", with: "")])
    func plain(address: String) {
        #expect(EmailAddress.isPlain(address))
    }

    @Test(
        "what a mail server would refuse, or a line break that would add commands or headers, is not",
        arguments: [
            "ann@example.com\r\nRCPT TO:<eve@example.com>", "ann@example.com\nBcc: eve@example.com", "<ann@example.com>",
            "\"ann\"@example.com", "Ann <ann@example.com>", "ann lee@example.com", "ann@example", "ann@.example.com",
            "ann@example..com", "@example.com", "ann@@example.com", "ann,bob@example.com", "ann@example.com\u{7}",
        ])
    func refused(address: String) {
        #expect(!EmailAddress.isPlain(address))
    }
}
