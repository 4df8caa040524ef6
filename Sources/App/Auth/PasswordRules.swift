import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Vapor

/// Hashing and checking of passwords: bcrypt at cost 12 (`AppConfig.bcryptCost`), and the policy with its list of
/// common passwords.
struct PasswordRules: Sendable {
    static let bcryptCost = 12

    let policy: PasswordPolicy
    /// The cost new hashes get; a stored hash is checked at the cost it names.
    let cost: Int
    /// A bcrypt hash of a random string at `cost`, checked for accounts that do not exist.
    private let timingDecoy: String
    /// How many bcrypt checks this app has run, decoys included: what makes an unknown address cost the same as a
    /// known one, and what a test can count without timing anything.
    let checks = NIOLockedValueBox(0)

    init(policy: PasswordPolicy, cost: Int = Self.bcryptCost) {
        self.policy = policy
        self.cost = cost
        self.timingDecoy = (try? Bcrypt.hash(SecureToken.make(), cost: cost)) ?? ""
    }

    /// Loads the common-password list shipped in `Resources/Data/common-passwords.txt`.
    static func load(resourcesDirectory: String, cost: Int = Self.bcryptCost) throws -> PasswordRules {
        let path = resourcesDirectory + "Data/common-passwords.txt"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw StartupError("The common-password list \(path) is missing.") }
        return PasswordRules(
            policy: PasswordPolicy(commonPasswords: PasswordPolicy.commonPasswords(fromList: text)), cost: cost)
    }

    func hash(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: self.cost)
    }

    /// `verify` on the application's thread pool: bcrypt takes a quarter of a second or more, which must not hold up
    /// an event loop (and every other request on it).
    func verify(_ password: String, against hash: String?, on pool: NIOThreadPool) async -> Bool {
        (try? await pool.runIfActive { self.verify(password, against: hash) }) ?? false
    }

    func verify(_ password: String, against hash: String?) -> Bool {
        self.checks.withLockedValue { $0 += 1 }
        guard let hash else {
            // Spend the same time as a real check, so that timing does not tell whether the account exists.
            _ = try? Bcrypt.verify(password, created: self.timingDecoy)
            return false
        }
        return (try? Bcrypt.verify(password, created: hash)) ?? false
    }
}

extension Application {
    private struct PasswordRulesKey: StorageKey {
        typealias Value = PasswordRules
    }

    var passwordRules: PasswordRules {
        get {
            guard let rules = self.storage[PasswordRulesKey.self] else {
                fatalError("configure(_:config:) loads the password policy before any request is served.")
            }
            return rules
        }
        set { self.storage[PasswordRulesKey.self] = newValue }
    }
}
