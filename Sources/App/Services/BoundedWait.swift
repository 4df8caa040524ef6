import NIOConcurrencyHelpers

/// Waits for work, but not for ever: `/readyz` while the database hangs, a stopping server for its job in hand.
enum BoundedWait {
    /// The outcome of `work`, or nil when it has not ended within `bound`. Unlike a task group, this returns at the
    /// bound even when `work` never ends (a stuck database connection) or ignores cancellation.
    static func outcome<T: Sendable>(
        within bound: Duration, _ work: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error>? {
        let waiting = NIOLockedValueBox<CheckedContinuation<Result<T, any Error>?, Never>?>(nil)
        // Whoever comes first, the work or the timer, takes the waiting caller and answers it.
        @Sendable func answer(_ outcome: Result<T, any Error>?) {
            let caller = waiting.withLockedValue { state in
                let taken = state
                state = nil
                return taken
            }
            caller?.resume(returning: outcome)
        }
        return await withCheckedContinuation { continuation in
            waiting.withLockedValue { $0 = continuation }
            let timer = Task {
                // Cancelled: the work has ended and answered.
                guard (try? await Task.sleep(for: bound)) != nil else { return }
                answer(nil)
            }
            Task {
                let outcome: Result<T, any Error>
                do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                answer(outcome)
                timer.cancel()
            }
        }
    }
}
