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

    /// Per account from one client address: 10 failures in 15 minutes. From elsewhere the account only slows down
    /// (`SignInDelay.perAccount`), so that whoever knows an official's address cannot lock them out.
    public static let perAccountFromAddress = SignInThrottle(limit: 10, window: 15 * 60)
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

/// A growing wait after failures of one account from anywhere: the first `free` failures in the window cost nothing,
/// each one after doubles the wait after the latest (1 s, 2 s, 4 s, … up to `cap`). Unlike a lock, it never shuts an
/// account for long because someone who knows its address types wrong passwords at it; the hard limit applies to the
/// account from one client address only (`SignInThrottle.perAccountFromAddress`).
public struct SignInDelay: Sendable, Equatable {
    public let free: Int
    public let window: TimeInterval
    public let cap: TimeInterval

    public init(free: Int, window: TimeInterval, cap: TimeInterval) {
        self.free = free
        self.window = window
        self.cap = cap
    }

    /// Per account, from every address together: ten free failures in 15 minutes, then waits up to 15 minutes.
    public static let perAccount = SignInDelay(free: 10, window: 15 * 60, cap: 15 * 60)

    /// When the account may be tried again, or nil when it may be tried now.
    public func blockedUntil(failures: [Date], now: Date) -> Date? {
        let recent = failures.filter { now.timeIntervalSince($0) < self.window }.sorted()
        guard recent.count >= self.free, let last = recent.last else { return nil }
        let wait = min(pow(2, Double(recent.count - self.free)), self.cap)
        let until = last.addingTimeInterval(wait)
        return until > now ? until : nil
    }

    public func windowStart(now: Date) -> Date { now.addingTimeInterval(-self.window) }
}
