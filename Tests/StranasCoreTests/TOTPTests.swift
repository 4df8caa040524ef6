import Foundation
import Testing

@testable import StranasCore

@Suite("Base32 and TOTP parameters")
struct TOTPTests {
    @Test("base32 matches the RFC 4648 test vectors")
    func rfc4648() {
        let vectors = [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("mzxw 6ytb oi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
    }

    @Test("time steps are 30 seconds from the Unix epoch")
    func counter() {
        #expect(TOTPParameters.counter(at: Date(timeIntervalSince1970: 59)) == 1)
        #expect(TOTPParameters.counter(at: Date(timeIntervalSince1970: 1_111_111_109)) == 37_037_036)
    }

    @Test("the provisioning link names the issuer and account and carries the parameters")
    func provisioningURL() {
        let url = TOTPParameters.provisioningURL(
            secret: "JBSWY3DPEHPK3PXP", account: "budi@lkpp.example", issuer: "Jaga Stranas PK")
        #expect(
            url == "otpauth://totp/Jaga%20Stranas%20PK:budi@lkpp.example?secret=JBSWY3DPEHPK3PXP"
                + "&issuer=Jaga%20Stranas%20PK&algorithm=SHA1&digits=6&period=30")
    }
}
