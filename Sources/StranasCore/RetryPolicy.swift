/// How background work that failed is tried again: soon at first, then further apart, and after the last attempt
/// not at all, so that a broken mail server or a bad item ends as a visible failure rather than a loop.
public struct RetryPolicy: Sendable, Equatable {
    /// Seconds to wait after the first, second, ... failed attempt. One attempt more than there are delays is made.
    public let delays: [Int]

    public init(delays: [Int]) {
        precondition(!delays.isEmpty && delays.allSatisfy { $0 > 0 }, "A retry policy waits a positive time.")
        self.delays = delays
    }

    /// 1 minute, 5 minutes, 15 minutes, 1 hour, 4 hours: six attempts over about five and a half hours.
    public static let standard = RetryPolicy(delays: [60, 300, 900, 3_600, 14_400])

    public var maximumAttempts: Int { self.delays.count + 1 }

    /// Seconds until the next attempt after `attempts` attempts have failed, or nil when there is none left.
    public func delay(afterFailedAttempts attempts: Int) -> Int? {
        guard attempts >= 1, attempts < self.maximumAttempts else { return nil }
        return self.delays[attempts - 1]
    }
}
