/// The rule of the small proof of work the report form asks for when many reports arrive at once (ADR 0017): a
/// browser finds a number that makes the SHA-256 of the challenge and that number start with `bits` zero bits.
/// Reporters pay a second or two of their device's time; whoever wants to send thousands pays thousands of those.
public enum ProofOfWork {
    /// Zero bits asked for: about 65,000 hashes, a second or two in a phone's browser.
    public static let bits = 16

    /// Reports an hour, on one instance, above which every further report needs a proof.
    public static let reportsPerHourBeforeAsking = 100

    /// Whether the next report needs a proof.
    public static func isRequired(reportsInLastHour: Int) -> Bool {
        reportsInLastHour >= self.reportsPerHourBeforeAsking
    }

    /// How many zero bits `digest` starts with.
    public static func leadingZeroBits(_ digest: [UInt8]) -> Int {
        var count = 0
        for byte in digest {
            if byte == 0 {
                count += 8
                continue
            }
            count += byte.leadingZeroBitCount
            break
        }
        return count
    }
}
