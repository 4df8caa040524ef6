import Crypto
import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Vapor

/// Challenges for the report form's proof of work (`StranasCore.ProofOfWork`): made and checked here, signed with the
/// portal's secret so that nobody makes their own, valid for 30 minutes, and each good for one report. Nothing about
/// who solved one is kept; the spent ones are remembered in memory until they would have expired anyway.
final class ReportChallenges: Sendable {
    static let lifetime: TimeInterval = 30 * 60

    private let key: SealingKey
    private let spent = NIOLockedValueBox([String: Date]())

    init(key: SealingKey) {
        self.key = key
    }

    /// "1.<issued, unix seconds>.<random>.<bits>.<signature>".
    func issue(now: Date) -> String {
        let random = SecureToken.make().filter { $0.isLetter || $0.isNumber }.prefix(16)
        let body = "1.\(Int(now.timeIntervalSince1970)).\(random).\(ProofOfWork.bits)"
        return body + "." + self.key.keyedHash(body, purpose: "report challenge")
    }

    /// Whether `answer` solves `challenge`, which this portal made, recently, and which was not used before. A good
    /// answer spends the challenge.
    func accept(_ challenge: String, answer: String, now: Date) -> Bool {
        let parts = challenge.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "1", let issued = Int(parts[1]), let bits = Int(parts[3]),
            bits >= ProofOfWork.bits, answer.count <= 20, answer.allSatisfy({ $0.isASCII && $0.isNumber }),
            SecureToken.constantTimeEquals(
                self.key.keyedHash(parts[0...3].joined(separator: "."), purpose: "report challenge"), parts[4])
        else { return false }
        let age = now.timeIntervalSince1970 - Double(issued)
        guard age >= 0, age < Self.lifetime else { return false }
        let digest = Array(SHA256.hash(data: Data((challenge + ":" + answer).utf8)))
        guard ProofOfWork.leadingZeroBits(digest) >= bits else { return false }
        return self.spent.withLockedValue { spent in
            spent = spent.filter { now.timeIntervalSince($0.value) < Self.lifetime }
            guard spent[challenge] == nil else { return false }
            spent[challenge] = now
            return true
        }
    }
}

extension Application {
    private struct ReportChallengesKey: StorageKey {
        typealias Value = ReportChallenges
    }

    /// Made by `configure` with the sealing key.
    var reportChallenges: ReportChallenges {
        get {
            guard let challenges = self.storage[ReportChallengesKey.self] else {
                fatalError("configure(_:config:) makes the report challenges before any request.")
            }
            return challenges
        }
        set { self.storage[ReportChallengesKey.self] = newValue }
    }
}
