import Testing

@testable import StranasCore

@Suite("Retrying failed background work")
struct RetryPolicyTests {
    @Test("waits longer after each failure and gives up after the last attempt")
    func backoff() {
        let policy = RetryPolicy.standard
        #expect(policy.maximumAttempts == 6)
        let waits = (1...policy.maximumAttempts).map { policy.delay(afterFailedAttempts: $0) }
        #expect(waits == [60, 300, 900, 3_600, 14_400, nil])
        #expect(policy.delay(afterFailedAttempts: 0) == nil)
        let known = waits.compactMap { $0 }
        #expect(known == known.sorted())
    }

    @Test("a policy of one delay makes two attempts")
    func shortPolicy() {
        let policy = RetryPolicy(delays: [5])
        #expect(policy.maximumAttempts == 2)
        #expect(policy.delay(afterFailedAttempts: 1) == 5)
        #expect(policy.delay(afterFailedAttempts: 2) == nil)
    }
}
