/// The one rule for a number that someone types, uploads or sends: a capaian, a verified value, a target value, an
/// indicator's weight or final target. Every entry point (web forms, the plan file, the report lines file, the API)
/// reads or checks its numbers here, so that no value the portal cannot show or score is ever stored.
///
/// Text is read with a decimal comma or point ("21,32" or "21.32"), ASCII digits only; thousands separators,
/// exponents, `nan`, `inf` and other scripts' digits are refused, since "1.250" could mean either and the others are
/// not how anyone writes a capaian.
public enum Quantity {
    /// One trillion: above any count, percentage or rupiah amount a plan of this kind measures, and far below where
    /// a `Double` stops holding whole numbers exactly.
    public static let maximum: Double = 1_000_000_000_000

    /// Why a number is refused.
    public enum Refusal: Error, Equatable, Sendable {
        /// Not a number as the portal reads them.
        case notANumber
        /// Below zero (or zero where a positive number is needed).
        case outOfRange
        /// Above `Quantity.maximum`.
        case tooLarge
    }

    /// A number of at least zero, or at least something above zero when `positive`.
    public static func read(_ text: String, positive: Bool = false) -> Result<Double, Refusal> {
        guard let value = self.decimal(text) else { return .failure(.notANumber) }
        return self.check(value, positive: positive)
    }

    /// The same limits for a number that arrives already parsed (JSON).
    public static func check(_ value: Double, positive: Bool = false) -> Result<Double, Refusal> {
        guard !value.isNaN else { return .failure(.notANumber) }
        guard abs(value) <= self.maximum else { return .failure(.tooLarge) }
        guard positive ? value > 0 : value >= 0 else { return .failure(.outOfRange) }
        return .success(value == 0 ? 0 : value)
    }

    /// The number a text writes, whatever its sign or size (digits past a `Double`'s range read as infinity), or nil
    /// when it is not one.
    static func decimal(_ text: String) -> Double? {
        let normalized = text.replacingOccurrences(of: ",", with: ".")
        guard !normalized.isEmpty, normalized.filter({ $0 == "." }).count <= 1,
            normalized.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let first = normalized.first, first.isASCII && (first.isNumber || first == "." || first == "-"),
            normalized.contains(where: { $0.isASCII && $0.isNumber }),
            let value = Double(normalized), !value.isNaN
        else { return nil }
        return value
    }
}
