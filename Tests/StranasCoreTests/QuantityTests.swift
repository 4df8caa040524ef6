import Foundation
import Testing

@testable import StranasCore

/// A small deterministic generator (SplitMix64), so that a failing case can be replayed from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Numbers people type: one bound, one reader, a formatter that never traps")
struct QuantityTests {
    static let formats = [DisplayFormatTests.indonesian, DisplayFormatTests.english]

    /// Every class of `Double`: the edges by name, then random bit patterns (which reach every exponent, subnormals
    /// and NaNs with payloads included).
    static func doubles(count: Int) -> [Double] {
        var random = SplitMix(state: 16)
        let named: [Double] = [
            0, -0.0, 1, -1, 0.005, 0.125, 1e20, 100_000_000_000_000_000_000, 1.797_693_134_862_315_7e308,
            -1.797_693_134_862_315_7e308, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude,
            -.leastNonzeroMagnitude, .infinity, -.infinity, .nan, -.nan, .signalingNaN, 9_007_199_254_740_991,
            9_007_199_254_740_992, 18_446_744_073_709_551_615, 18_446_744_073_709_551_616, Quantity.maximum,
            Quantity.maximum.nextUp, .ulpOfOne,
        ]
        return named + (0..<count).map { _ in Double(bitPattern: random.next()) }
    }

    @Test("every Double has a text in both languages: digits, separators and at most one sign, or a dash")
    func formatterIsTotal() {
        for value in Self.doubles(count: 20_000) {
            for format in Self.formats {
                for decimals in [0, 1, 2, 6] {
                    let text = format.number(value, maximumFractionDigits: decimals)
                    if !value.isFinite {
                        #expect(text == "–")
                        continue
                    }
                    #expect(!text.isEmpty)
                    let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
                    #expect(unsigned.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") })
                    let showsMoreThanZero = unsigned.contains { $0.isNumber && $0 != "0" }
                    #expect(text.hasPrefix("-") == (value < 0 && showsMoreThanZero))
                }
                _ = format.percent(value)
            }
        }
    }

    @Test("huge, tiny and signed zeros read as a person expects")
    func formatterEdges() {
        let format = DisplayFormatTests.indonesian
        #expect(format.number(1e20) == "100.000.000.000.000.000.000")
        #expect(format.number(-0.0) == "0")
        #expect(format.number(.leastNonzeroMagnitude) == "0")
        #expect(format.number(-.leastNonzeroMagnitude) == "0")
        #expect(format.number(.greatestFiniteMagnitude).count > 300)
        #expect(format.number(.nan) == "–")
        #expect(format.number(-.infinity) == "–")
        #expect(format.number(Quantity.maximum) == "1.000.000.000.000")
        #expect(DisplayFormatTests.english.number(1234.5, maximumFractionDigits: 0) == "1,235")
    }

    @Test(
        "numbers written as people write them are read; the bound is inclusive",
        arguments: [
            ("21,32", 21.32), ("21.32", 21.32), ("0", 0.0), ("-0", 0.0), (".5", 0.5), ("5.", 5.0),
            ("1000000000000", 1_000_000_000_000.0), ("000012", 12.0),
        ])
    func reads(_ text: String, _ value: Double) {
        #expect(Quantity.read(text) == .success(value))
    }

    @Test(
        "anything else is refused with the reason: not a number, out of range or too large",
        arguments: [
            ("", Quantity.Refusal.notANumber), ("abc", .notANumber), ("nan", .notANumber), ("NaN", .notANumber),
            ("inf", .notANumber), ("-inf", .notANumber), ("infinity", .notANumber), ("1e5", .notANumber),
            ("1E-3", .notANumber), ("0x1p3", .notANumber), ("１２", .notANumber), ("٣", .notANumber),
            ("1.250,5", .notANumber), ("1,250.5", .notANumber), ("1.250.000", .notANumber),
            ("1,250,000", .notANumber), ("1 250", .notANumber), ("+5", .notANumber), ("5-", .notANumber),
            ("--5", .notANumber), ("-", .notANumber), (".", .notANumber), (",", .notANumber), ("12a", .notANumber),
            ("\u{0}1", .notANumber), ("1\u{200B}", .notANumber), ("-1", .outOfRange), ("-0,01", .outOfRange),
            ("1000000000000.01", .tooLarge), ("100000000000000000000", .tooLarge),
            (String(repeating: "9", count: 400), .tooLarge), (String(repeating: "9", count: 5_000), .tooLarge),
            ("-" + String(repeating: "9", count: 400), .tooLarge),
        ])
    func refuses(_ text: String, _ refusal: Quantity.Refusal) {
        #expect(Quantity.read(text) == .failure(refusal))
    }

    @Test("a positive number refuses zero; a parsed number is checked by the same bound")
    func positiveAndParsed() {
        #expect(Quantity.read("0", positive: true) == .failure(.outOfRange))
        #expect(Quantity.read("0,5", positive: true) == .success(0.5))
        #expect(Quantity.check(1.797_693_134_862_315_7e308) == .failure(.tooLarge))
        #expect(Quantity.check(.infinity) == .failure(.tooLarge))
        #expect(Quantity.check(.nan) == .failure(.notANumber))
        #expect(Quantity.check(-.leastNonzeroMagnitude) == .failure(.outOfRange))
        #expect(Quantity.check(-0.0) == .success(0))
        #expect(Quantity.check(.leastNonzeroMagnitude) == .success(.leastNonzeroMagnitude))
    }

    @Test("every string of digits, of any length, is read or refused, and what is read is within the bound")
    func randomDigitStrings() {
        var random = SplitMix(state: 7)
        let alphabet = Array("0123456789,.-eE+ ")
        for _ in 0..<20_000 {
            let length = Int(random.next() % 40)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            if case .success(let value) = Quantity.read(text) {
                #expect(value >= 0 && value <= Quantity.maximum, "\(text)")
                #expect(!text.contains { "eE+ ".contains($0) })
            }
        }
    }
}

@Suite("Proof of work")
struct ProofOfWorkTests {
    @Test("zero bits are counted across bytes")
    func zeroBits() {
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x00, 0x80]) == 16)
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x01]) == 15)
        #expect(ProofOfWork.leadingZeroBits([0xFF]) == 0)
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x00]) == 16)
        #expect(ProofOfWork.leadingZeroBits([]) == 0)
    }

    @Test("a proof is asked for from the hundredth report of the hour")
    func threshold() {
        #expect(!ProofOfWork.isRequired(reportsInLastHour: 99))
        #expect(ProofOfWork.isRequired(reportsInLastHour: 100))
    }
}
