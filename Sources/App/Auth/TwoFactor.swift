import Crypto
import Fluent
import Foundation
import StranasCore
import Vapor

/// TOTP (RFC 6238) codes and recovery codes.
enum TwoFactor {
    static let recoveryCodeCount = 10

    /// A new secret: 160 random bits, the size RFC 4226 recommends for SHA-1.
    static func newSecret() -> String {
        Base32.encode([UInt8].random(count: 20))
    }

    /// The time step of `code` if it is valid now (within the allowed drift) for `secret`.
    static func matchingCounter(code: String, secret: String, at time: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == TOTPParameters.digits, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let key = Base32.decode(secret)
        else { return nil }
        let now = TOTPParameters.counter(at: time)
        for step in (now - Int64(TOTPParameters.allowedDrift))...(now + Int64(TOTPParameters.allowedDrift)) {
            let expected = TOTP.generate(
                key: SymmetricKey(data: key), digest: .sha1, digits: .six,
                interval: Int(TOTPParameters.period),
                time: Date(timeIntervalSince1970: Double(step) * TOTPParameters.period))
            if SecureToken.constantTimeEquals(expected, digits) { return step }
        }
        return nil
    }

    /// Accepts a TOTP code once: a code whose time step is not after the last accepted one is refused.
    static func acceptCode(_ code: String, for user: User, on request: Request) async throws -> Bool {
        guard let secret = user.totpSecret,
            let counter = self.matchingCounter(code: code, secret: secret, at: request.application.clock.now()),
            counter > (user.totpLastCounter ?? Int64.min)
        else { return false }
        user.totpLastCounter = counter
        try await user.save(on: request.db)
        return true
    }

    /// Replaces the user's recovery codes with ten new ones, returned once in clear and stored only hashed.
    static func issueRecoveryCodes(for userID: Int, on database: any Database) async throws -> [String] {
        try await RecoveryCode.query(on: database).filter(\.$user.$id == userID).delete()
        let codes = (0..<self.recoveryCodeCount).map { _ in
            let characters = (0..<10).map { _ in SecureToken.readableAlphabet.randomElement()! }
            return String(characters[0..<5]) + "-" + String(characters[5..<10])
        }
        try await codes.map { RecoveryCode(userID: userID, codeHash: SecureToken.hash($0)) }.create(on: database)
        return codes
    }

    /// Uses up a recovery code if it is one of the user's unused codes.
    static func acceptRecoveryCode(_ code: String, userID: Int, on request: Request) async throws -> Bool {
        let normalized = code.lowercased().filter { !$0.isWhitespace }
        guard
            let stored = try await RecoveryCode.query(on: request.db)
                .filter(\.$user.$id == userID)
                .filter(\.$codeHash == SecureToken.hash(normalized))
                .filter(\.$usedAt == nil)
                .first()
        else { return false }
        stored.usedAt = request.application.clock.now()
        try await stored.save(on: request.db)
        return true
    }
}
