import Fluent
import Foundation
import StranasCore
import Vapor

/// Counts failed sign-ins per account (which slows it down), per account from one address (which blocks that pair)
/// and per client address (which blocks the address), and says when the next attempt is allowed.
enum SignInAttempts {
    static func accountKey(_ email: String) -> String { "account:" + User.normalize(email: email) }
    static func pairKey(_ email: String, _ address: String) -> String { self.accountKey(email) + "|" + address }
    static func addressKey(_ address: String) -> String { "address:" + address }
    /// Second-factor failures have a key of their own, which only a correct second factor clears: a correct password
    /// must not give whoever knows it another round of code guesses.
    static func secondFactorKey(_ userID: Int) -> String { "second-factor:\(userID)" }

    /// When the next attempt is allowed, if the account is slowed down or the pair or the address is blocked now.
    static func blockedUntil(email: String, request: Request) async throws -> Date? {
        let now = request.application.clock.now()
        let address = request.clientAddress
        func failures(_ key: String, since: Date) async throws -> [Date] {
            try await SignInFailure.query(on: request.db).filter(\.$key == key).filter(\.$at >= since).all().map(\.at)
        }
        let delay = SignInDelay.perAccount
        let blocks = [
            delay.blockedUntil(
                failures: try await failures(self.accountKey(email), since: delay.windowStart(now: now)), now: now),
            SignInThrottle.perAccountFromAddress.blockedUntil(
                failures: try await failures(
                    self.pairKey(email, address), since: SignInThrottle.perAccountFromAddress.windowStart(now: now)),
                now: now),
            SignInThrottle.perClientAddress.blockedUntil(
                failures: try await failures(
                    self.addressKey(address), since: SignInThrottle.perClientAddress.windowStart(now: now)),
                now: now),
        ]
        return blocks.compactMap { $0 }.max()
    }

    /// When the next second-factor attempt is allowed, if the account's codes or the address are blocked now.
    static func secondFactorBlockedUntil(userID: Int, request: Request) async throws -> Date? {
        let now = request.application.clock.now()
        var until: Date?
        for (key, throttle) in [
            (self.secondFactorKey(userID), SignInThrottle.perSecondFactor),
            (self.addressKey(request.clientAddress), .perClientAddress),
        ] {
            let failures = try await SignInFailure.query(on: request.db).filter(\.$key == key)
                .filter(\.$at >= throttle.windowStart(now: now)).all().map(\.at)
            if let blocked = throttle.blockedUntil(failures: failures, now: now) {
                until = max(until ?? blocked, blocked)
            }
        }
        return until
    }

    static func recordSecondFactorFailure(userID: Int, request: Request) async throws {
        let now = request.application.clock.now()
        try await [
            SignInFailure(key: self.secondFactorKey(userID), at: now),
            SignInFailure(key: self.addressKey(request.clientAddress), at: now),
        ].create(on: request.db)
    }

    static func clearSecondFactor(userID: Int, request: Request) async throws {
        try await SignInFailure.query(on: request.db).filter(\.$key == self.secondFactorKey(userID)).delete()
    }

    static func recordFailure(email: String, request: Request) async throws {
        let now = request.application.clock.now()
        try await [
            SignInFailure(key: self.accountKey(email), at: now),
            SignInFailure(key: self.pairKey(email, request.clientAddress), at: now),
            SignInFailure(key: self.addressKey(request.clientAddress), at: now),
        ].create(on: request.db)
        // Rows older than the longest window count for nothing; drop them as we go.
        let oldest = now.addingTimeInterval(
            -max(
                SignInDelay.perAccount.window, SignInThrottle.perAccountFromAddress.window,
                SignInThrottle.perClientAddress.window,
                SignInThrottle.perSecondFactor.window))
        try await SignInFailure.query(on: request.db).filter(\.$at < oldest).delete()
    }

    /// A successful sign-in clears the account's failures and this address's for it (not the address's own).
    static func clear(email: String, request: Request) async throws {
        try await SignInFailure.query(on: request.db)
            .filter(\.$key ~~ [self.accountKey(email), self.pairKey(email, request.clientAddress)]).delete()
    }
}
