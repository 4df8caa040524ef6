import Foundation

/// How many failed sign-ins a key (one account, or one client address) may have before further attempts are
/// refused for a while. Failures older than the window no longer count, so a block releases by itself.
public struct SignInThrottle: Sendable, Equatable {
    public let limit: Int
    public let window: TimeInterval

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Per account: 10 failures in 15 minutes, which also keeps an account under 100 failures an hour (at most 40).
    public static let perAccount = SignInThrottle(limit: 10, window: 15 * 60)
    /// Per client address: 100 failures in 15 minutes, for someone trying many accounts from one place.
    public static let perClientAddress = SignInThrottle(limit: 100, window: 15 * 60)

    /// When the key may try again, or nil when it may try now.
    public func blockedUntil(failures: [Date], now: Date) -> Date? {
        let recent = failures.filter { now.timeIntervalSince($0) < self.window }.sorted()
        guard recent.count >= self.limit else { return nil }
        // Blocked until enough of the recent failures have aged out of the window to drop below the limit.
        return recent[recent.count - self.limit].addingTimeInterval(self.window)
    }

    /// Per account's second factor: 5 wrong codes in 15 minutes. A six-digit code then takes on average about 50,000
    /// windows (over a year) to guess, and no correct password resets the count.
    public static let perSecondFactor = SignInThrottle(limit: 5, window: 15 * 60)

    /// The earliest failure that still counts, for pruning older rows.
    public func windowStart(now: Date) -> Date { now.addingTimeInterval(-self.window) }
}
