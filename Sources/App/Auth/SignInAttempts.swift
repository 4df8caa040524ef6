import Fluent
import Foundation
import StranasCore
import Vapor

/// Counts failed sign-ins per account and per client address, and says when either is blocked.
enum SignInAttempts {
    static func accountKey(_ email: String) -> String { "account:" + User.normalize(email: email) }
    static func addressKey(_ address: String) -> String { "address:" + address }
    /// Second-factor failures have a key of their own, which only a correct second factor clears: a correct password
    /// must not give whoever knows it another round of code guesses.
    static func secondFactorKey(_ userID: Int) -> String { "second-factor:\(userID)" }

    /// When the next attempt is allowed, if either the account or the address is blocked now.
    static func blockedUntil(email: String, request: Request) async throws -> Date? {
        let now = request.application.clock.now()
        let checks: [(String, SignInThrottle)] = [
            (self.accountKey(email), .perAccount), (self.addressKey(request.clientAddress), .perClientAddress),
        ]
        var until: Date?
        for (key, throttle) in checks {
            let failures = try await SignInFailure.query(on: request.db)
                .filter(\.$key == key)
                .filter(\.$at >= throttle.windowStart(now: now))
                .all()
                .map(\.at)
            if let blocked = throttle.blockedUntil(failures: failures, now: now) {
                until = max(until ?? blocked, blocked)
            }
        }
        return until
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
            SignInFailure(key: self.addressKey(request.clientAddress), at: now),
        ].create(on: request.db)
        // Rows older than the longest window count for nothing; drop them as we go.
        let oldest = now.addingTimeInterval(
            -max(
                SignInThrottle.perAccount.window, SignInThrottle.perClientAddress.window,
                SignInThrottle.perSecondFactor.window))
        try await SignInFailure.query(on: request.db).filter(\.$at < oldest).delete()
    }

    /// A successful sign-in clears the account's failures (not the address's).
    static func clear(email: String, request: Request) async throws {
        try await SignInFailure.query(on: request.db).filter(\.$key == self.accountKey(email)).delete()
    }
}
