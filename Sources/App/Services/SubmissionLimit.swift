import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Counts recent submissions of a public form per key (a hash of a browser's anonymous cookie, or a client address)
/// and overall, in memory only: whatever is older than the window is forgotten at the next count.
final class SubmissionLimit: Sendable {
    let perKey: Int
    let overall: Int?
    let window: TimeInterval

    private let times = NIOLockedValueBox([String: [Date]]())

    init(perKey: Int, overall: Int?, window: TimeInterval) {
        self.perKey = perKey
        self.overall = overall
        self.window = window
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
        let limits = [application.reportSubmissions, application.inputSubmissions]
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

    /// Laporan penyimpangan: five an hour per browser, three hundred overall (no address is looked at). Made by
    /// `configure`, before any request.
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
