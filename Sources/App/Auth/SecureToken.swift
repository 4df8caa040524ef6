import Crypto
import Foundation

/// Random secrets for links, cookies and codes, and the one-way hashes they are stored as.
enum SecureToken {
    /// Lower-case letters and digits that cannot be mistaken for one another when read aloud or typed (no 0/o, 1/l/i).
    static let readableAlphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// 256 random bits, URL-safe base64 without padding: for session cookies and one-time links.
    static func make() -> String {
        let bytes = [UInt8].random(count: 32)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256, hex. Enough for secrets with 128 bits or more of entropy, which no one can guess or brute-force;
    /// passwords, which people choose, are hashed with bcrypt instead.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
