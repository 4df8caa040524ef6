import Testing

@testable import StranasCore

@Suite("E-mail addresses")
struct MailAddressTests {
    @Test("the bare address of a display form")
    func bare() {
        #expect(MailAddress.bare("Jaga Stranas PK <noreply@stranas.go.id>") == "noreply@stranas.go.id")
        #expect(MailAddress.bare("  warga@contoh.id ") == "warga@contoh.id")
    }

    @Test(
        "plausible addresses and the texts that are not",
        arguments: [
            ("warga@contoh.id", true), ("a.b+c@sub.kemendagri.go.id", true), ("root@localhost", true),
            ("0812 3456 7890", false), ("warga@", false), ("@contoh.id", false), ("warga@contoh", false),
            ("a@b@c.id", false), ("warga@contoh..id", false), ("x@y.id\r\nBcc: z@w.id", false), ("<x@y.id>", false),
            ("wa rga@contoh.id", false),
        ])
    func plausible(text: String, expected: Bool) {
        #expect(MailAddress.isPlausible(text) == expected)
    }
}
