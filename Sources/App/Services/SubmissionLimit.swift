import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Counts recent events of a public form (submissions, wrong receipt codes) per client and overall, in memory only:
/// whatever is older than the window is forgotten at the next count and by the sweeper.
///
/// A client is its address as the portal sees it (`Request.clientAddress`), never a cookie, which the client chooses.
/// The address itself is not kept: only an HMAC of it under a key made at random when the process starts, so that
/// not even the portal's own secret recovers it, and nothing of it outlives the window or the process.
final class SubmissionLimit: Sendable {
    let perKey: Int
    let overall: Int?
    let window: TimeInterval

    private let times = NIOLockedValueBox([String: [Date]]())
    private let addressKey = SymmetricKey(size: .bits256)

    init(perKey: Int, overall: Int?, window: TimeInterval) {
        self.perKey = perKey
        self.overall = overall
        self.window = window
    }

    /// The key a client is counted under: a keyed hash of its address.
    func key(forAddress address: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(address.utf8), using: self.addressKey).hex
    }

    /// Whether `key` is still under its own limit, counting nothing.
    func isUnderLimit(_ key: String, now: Date) -> Bool {
        self.times.withLockedValue { times in
            Self.forget(before: now.addingTimeInterval(-self.window), in: &times)
            return (times[key]?.count ?? 0) < self.perKey
        }
    }

    /// Counts one event of `key` (a wrong receipt code, say).
    func record(_ key: String, now: Date) {
        self.times.withLockedValue { $0[key, default: []].append(now) }
    }

    /// Counts the submission and says yes, or says no (and counts nothing) when a limit is reached.
    func admit(_ key: String, now: Date) -> Bool {
        self.times.withLockedValue { times in
            Self.forget(before: now.addingTimeInterval(-self.window), in: &times)
            if let overall = self.overall, times.values.reduce(0, { $0 + $1.count }) >= overall { return false }
            guard (times[key]?.count ?? 0) < self.perKey else { return false }
            times[key, default: []].append(now)
            return true
        }
    }

    /// Drops every key (a client address, say) whose submissions are all older than the window.
    func forgetExpired(now: Date) {
        self.times.withLockedValue { Self.forget(before: now.addingTimeInterval(-self.window), in: &$0) }
    }

    /// How many events within the window, all keys together.
    func total(now: Date) -> Int {
        self.times.withLockedValue { times in
            Self.forget(before: now.addingTimeInterval(-self.window), in: &times)
            return times.values.reduce(0) { $0 + $1.count }
        }
    }

    /// How many keys are remembered.
    var keyCount: Int { self.times.withLockedValue { $0.count } }

    private static func forget(before since: Date, in times: inout [String: [Date]]) {
        times = times.compactMapValues { list in
            let kept = list.filter { $0 > since }
            return kept.isEmpty ? nil : kept
        }
    }
}

/// Forgets expired keys of the public forms' limits every minute, so that no client address outlives its window
/// even when nobody submits again.
final class SubmissionLimitSweeper: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<RepeatedTask?>(nil)

    func didBoot(_ application: Application) throws {
        let limits = [application.reportSubmissions, application.inputSubmissions, application.receiptFailures]
        let clock = application.clock
        let task = application.eventLoopGroup.next().scheduleRepeatedTask(
            initialDelay: .seconds(60), delay: .seconds(60)
        ) { _ in
            for limit in limits { limit.forgetExpired(now: clock.now()) }
        }
        self.task.withLockedValue { $0 = task }
    }

    func shutdown(_ application: Application) {
        self.task.withLockedValue {
            $0?.cancel()
            $0 = nil
        }
    }
}

extension Application {
    private struct ReportSubmissionsKey: StorageKey {
        typealias Value = SubmissionLimit
    }

    private struct InputSubmissionsKey: StorageKey {
        typealias Value = SubmissionLimit
    }

    private struct ReceiptFailuresKey: StorageKey {
        typealias Value = SubmissionLimit
    }

    /// Wrong receipt codes on `/lacak`: five per client in fifteen minutes. A correct code is never refused, so no
    /// flood of wrong ones from elsewhere can shut a reporter out of their case. Made by `configure`.
    var receiptFailures: SubmissionLimit {
        get {
            guard let limit = self.storage[ReceiptFailuresKey.self] else {
                fatalError("configure(_:config:) makes the form limits before anything reads them.")
            }
            return limit
        }
        set { self.storage[ReceiptFailuresKey.self] = newValue }
    }

    /// Laporan penyimpangan: five an hour per client; past `ProofOfWork.reportsPerHourBeforeAsking` in all, a proof of
    /// work. Made by `configure`, before any request.
    var reportSubmissions: SubmissionLimit {
        get {
            guard let limit = self.storage[ReportSubmissionsKey.self] else {
                fatalError("configure(_:config:) makes the form limits before anything reads them.")
            }
            return limit
        }
        set { self.storage[ReportSubmissionsKey.self] = newValue }
    }

    /// Usulan and pertanyaan: ten an hour per client address. Made by `configure`, before any request.
    var inputSubmissions: SubmissionLimit {
        get {
            guard let limit = self.storage[InputSubmissionsKey.self] else {
                fatalError("configure(_:config:) makes the form limits before anything reads them.")
            }
            return limit
        }
        set { self.storage[InputSubmissionsKey.self] = newValue }
    }
}
