import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import StranasCore
import Vapor

/// Runs background work: adds the half-hourly reminder scan when its slot has come, then claims and runs due jobs one
/// at a time until none is due. `jaga serve` runs one in-process (`JobRunnerLoop`); `jaga jobs run` runs one pass and
/// exits. Any number of runners may work on one database; `JobQueue` hands each job to one of them.
struct JobRunner {
    let app: Application
    /// Names this runner in the claims it holds.
    let worker: String

    init(app: Application, worker: String = JobRunner.defaultWorkerName()) {
        self.app = app
        self.worker = worker
    }

    /// What one pass did.
    struct Pass: Equatable {
        var done = 0
        var failed = 0
    }

    /// Minutes between reminder scans.
    static let scanSlotMinutes = 30

    var queue: JobQueue { JobQueue(database: self.app.db, clock: self.app.clock) }

    /// Runs what is due now, at most `limit` jobs, and returns what happened.
    @discardableResult
    func runDue(limit: Int = 10_000) async throws -> Pass {
        if let held = try await BackgroundPause(database: self.app.db as! any SQLDatabase).reason() {
            self.app.logger.info("Background work is paused (\(held)); `jaga jobs resume` lifts it.")
            return Pass()
        }
        let queue = self.queue
        try await queue.enqueue(.reminderScan, dedupeKey: Self.scanKey(at: self.app.clock.now()))
        try await queue.failAbandoned()
        var pass = Pass()
        // A runner told to stop (SIGTERM) finishes the job in hand and takes no other.
        while pass.done + pass.failed < limit, !Task.isCancelled, let job = try await queue.claim(worker: self.worker) {
            do {
                // In a task of its own, which the runner's cancellation does not reach: a job once begun is done.
                try await Task { try await self.run(job) }.value
                try await queue.finish(job, worker: self.worker)
                pass.done += 1
            } catch {
                let description = DatabasePreparation.cause(of: error)
                let retries = try await queue.fail(job, worker: self.worker, error: description)
                let outcome = retries ? "it will be tried again" : "no attempts are left"
                self.app.logger.warning(
                    "Job \(job.id) (\(job.kind)) failed on attempt \(job.attempts): \(description); \(outcome).")
                pass.failed += 1
            }
        }
        return pass
    }

    private func run(_ job: JobQueue.Claimed) async throws {
        guard let handler = self.app.jobHandlers[JobKind(rawValue: job.kind)] else {
            throw JobRunnerError.unknownKind(job.kind)
        }
        try await handler(job, self.app)
    }

    /// One scan per slot, whichever runner comes first.
    static func scanKey(at date: Date) -> String {
        let slot = Int(date.timeIntervalSince1970) / (Self.scanSlotMinutes * 60)
        return "\(JobKind.reminderScan.rawValue)|\(slot)"
    }

    static func defaultWorkerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    typealias Handler = @Sendable (JobQueue.Claimed, Application) async throws -> Void

    /// The work of each kind the portal knows.
    static let standardHandlers: [JobKind: Handler] = [
        .reminderScan: { _, app in try await ReminderScan(app: app).run() },
        .deliverMail: { job, app in try await MailDelivery.run(job, app: app) },
        .lineReturned: { job, app in
            guard let targetID = job.payload.targetID, let version = job.payload.version else { return }
            try await EventNotices(app: app).lineReturned(targetID: targetID, version: version)
        },
        .lineSentBack: { job, app in
            guard let targetID = job.payload.targetID, let version = job.payload.version else { return }
            try await EventNotices(app: app).lineSentBack(targetID: targetID, version: version)
        },
        .caseNotice: { job, app in
            guard let caseID = job.payload.caseID else { return }
            try await ReminderScan(app: app).noticeCaseDeadlines(caseID: caseID)
        },
        .publicReply: { job, app in
            try await EventNotices(app: app).publicReply(
                caseID: job.payload.caseID, inputID: job.payload.inputID, event: job.payload.event ?? "pesan",
                onceKey: "balasan|job:\(job.id)")
        },
    ]
}

enum JobRunnerError: Error, CustomStringConvertible {
    case unknownKind(String)

    var description: String {
        switch self {
        case .unknownKind(let kind): "No handler for jobs of kind \(kind)."
        }
    }
}

/// The in-process runner of `jaga serve`: a pass every `JAGA_JOBS_POLL_SECONDS`, stopped with the server.
final class JobRunnerLoop: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func didBootAsync(_ application: Application) async throws {
        let runner = JobRunner(app: application)
        let interval = application.config.jobPollSeconds
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await runner.runDue(limit: 500)
                } catch {
                    application.logger.error(
                        "The background runner could not reach its work: \(DatabasePreparation.cause(of: error))")
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
        self.task.withLockedValue { $0 = task }
    }

    /// Takes no new job and waits for the one in hand, at most `JAGA_STOP_SECONDS`; a job cut off after that keeps its
    /// claim until the lease ends, and another runner then does it again.
    func shutdownAsync(_ application: Application) async {
        guard let task = self.task.withLockedValue({ $0 }) else { return }
        task.cancel()
        let seconds = application.config.stopSeconds
        if await BoundedWait.outcome(within: .seconds(seconds), { await task.value }) == nil {
            application.logger.warning(
                "The background job in hand did not finish within \(seconds) s; stopping anyway.")
        }
    }
}

extension Application {
    private struct JobHandlersKey: StorageKey {
        typealias Value = [JobKind: JobRunner.Handler]
    }

    /// The work of each job kind; `configure` installs the standard ones, and tests may add theirs.
    var jobHandlers: [JobKind: JobRunner.Handler] {
        get { self.storage[JobHandlersKey.self] ?? JobRunner.standardHandlers }
        set { self.storage[JobHandlersKey.self] = newValue }
    }
}
