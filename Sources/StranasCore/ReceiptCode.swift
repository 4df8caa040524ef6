/// The code a reporter of a laporan penyimpangan receives once, to follow the case without an account: 20 random
/// decimal digits (about 66 bits), shown in groups of four. Only a keyed hash of it is stored.
public struct ReceiptCode: Equatable, Sendable {
    public static let length = 20

    /// The digits, without separators.
    public let digits: String

    /// A fresh code from a generator (the system's secure generator in the app).
    public static func make(using generator: inout some RandomNumberGenerator) -> ReceiptCode {
        ReceiptCode(
            digits: String((0..<Self.length).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) }))
    }

    private init(digits: String) {
        self.digits = digits
    }

    /// Reads what a person typed: spaces, dashes and dots between the digits are ignored; anything else, or a
    /// different number of digits, is not a code.
    public init?(typed text: String) {
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !(character == " " || character == "-" || character == "." || character.isWhitespace) {
                return nil
            }
        }
        guard digits.count == Self.length else { return nil }
        self.digits = digits
    }

    /// "1234 5678 9012 3456 7890".
    public var grouped: String {
        stride(from: 0, to: Self.length, by: 4).map { start in
            let from = self.digits.index(self.digits.startIndex, offsetBy: start)
            return String(self.digits[from..<self.digits.index(from, offsetBy: 4)])
        }.joined(separator: " ")
    }
}
