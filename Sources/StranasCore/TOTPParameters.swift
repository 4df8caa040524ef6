import Foundation

/// The TOTP settings every authenticator app understands (RFC 6238): SHA-1, six digits, 30-second steps.
public enum TOTPParameters {
    public static let digits = 6
    public static let period: TimeInterval = 30
    /// Codes one step either side of now are accepted, for clocks a little out of step.
    public static let allowedDrift = 1

    /// The time step a moment falls in.
    public static func counter(at time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 / self.period).rounded(.down))
    }

    /// The `otpauth://` link an authenticator app scans or opens.
    public static func provisioningURL(secret: String, account: String, issuer: String) -> String {
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~@")))
                ?? text
        }
        return "otpauth://totp/\(encode(issuer)):\(encode(account))?secret=\(secret)&issuer=\(encode(issuer))"
            + "&algorithm=SHA1&digits=\(self.digits)&period=\(Int(self.period))"
    }
}
