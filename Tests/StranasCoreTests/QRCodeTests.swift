import Testing

@testable import StranasCore

/// The encoder's parts against the standard's figures. That a phone can read the whole symbol is shown by decoding the
/// enrolment page's rendered code with zbar in `e2e/test_accounts_journey.py`.
@Suite("QR code")
struct QRCodeTests {
    @Test("Reed-Solomon codewords match the standard's worked example (01234567 at 1-M)")
    func reedSolomonExample() {
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        let ecc = ReedSolomon.remainder(of: data, by: ReedSolomon.generator(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("the smallest version that holds the text is chosen, up to the byte capacities of level M")
    func versionChoice() {
        // Byte-mode capacities at level M: 14 bytes in version 1, 213 in version 10, 2,331 in version 40.
        #expect(QRCode(text: String(repeating: "a", count: 14))?.version == 1)
        #expect(QRCode(text: String(repeating: "a", count: 15))?.version == 2)
        #expect(QRCode(text: String(repeating: "a", count: 213))?.version == 10)
        #expect(QRCode(text: String(repeating: "a", count: 214))?.version == 11)
        #expect(QRCode(text: String(repeating: "a", count: 2331))?.version == 40)
        #expect(QRCode(text: String(repeating: "a", count: 2332)) == nil)
    }

    @Test("data is padded with the alternating pad bytes to the version's capacity")
    func padding() {
        let codewords = QRCode.dataCodewords(Array("01234567".utf8), version: 1)
        #expect(codewords.count == 16)
        // Mode 0100, count 00001000, then "0" = 0x30: 0100 0000 1000 0011 0000 …
        #expect(Array(codewords.prefix(2)) == [0x40, 0x83])
        #expect(Array(codewords.suffix(4)) == [0xEC, 0x11, 0xEC, 0x11])
    }

    @Test("finder patterns sit in three corners and the timing patterns alternate")
    func functionPatterns() throws {
        let code = try #require(QRCode(text: "otpauth://totp/Jaga:budi@lkpp.example?secret=JBSWY3DPEHPK3PXP"))
        let last = code.size - 1
        for (x, y) in [(0, 0), (6, 0), (0, 6), (last, 0), (last - 6, 6), (0, last), (6, last - 6), (3, 3)] {
            #expect(code.isDark(x: x, y: y))
        }
        for (x, y) in [(1, 1), (7, 0), (0, 7), (last - 7, 0), (5, 1)] { #expect(!code.isDark(x: x, y: y)) }
        for index in 8..<(code.size - 8) {
            #expect(code.isDark(x: index, y: 6) == (index % 2 == 0))
            #expect(code.isDark(x: 6, y: index) == (index % 2 == 0))
        }
        // The dark module beside the lower format area.
        #expect(code.isDark(x: 8, y: code.size - 8))
    }

    @Test("the SVG draws every dark module inside a four-module quiet zone and escapes its label")
    func svg() throws {
        let code = try #require(QRCode(text: "abc"))
        let svg = code.svg(moduleSize: 4, label: "Kode <QR> & \"kunci\"")
        let darkCount = (0..<code.size).flatMap { y in (0..<code.size).map { x in code.isDark(x: x, y: y) } }
            .filter { $0 }.count
        #expect(svg.components(separatedBy: "h1v1h-1z").count - 1 == darkCount)
        #expect(svg.contains("viewBox=\"0 0 29 29\""))
        #expect(svg.contains("width=\"116\""))
        #expect(svg.contains("M4 4h1v1h-1z"))
        #expect(svg.contains("aria-label=\"Kode &lt;QR> &amp; &quot;kunci&quot;\""))
    }
}
