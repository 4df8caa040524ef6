import Fluent
import Foundation
import SQLKit
import StranasCore

/// The table of due work and the only code that changes a job's state. Claiming is one statement that moves a due
/// job to `running` for one runner: on PostgreSQL the candidate row is locked with `FOR UPDATE SKIP LOCKED`, so that
/// runners of any number of instances pass over each other's rows instead of taking them twice; SQLite allows one
/// writer at a time, which serialises the same statement.
///
/// Leases and due times run on the database's clock when the app tells the real time: nodes whose clocks differ
/// agree on when a claim ends (`now()`).
struct JobQueue {
    let database: any Database
    let clock: AppClock
    var policy = RetryPolicy.standard
    /// How long a claim holds before another runner may take the job again (a runner that died mid-job).
    static let lease: TimeInterval = 10 * 60

    private var sql: any SQLDatabase { self.database as! any SQLDatabase }

    /// A job claimed by one runner.
    struct Claimed: Sendable {
        let id: Int
        let kind: String
        let payload: JobPayload
        /// Attempts so far, this one included.
        let attempts: Int
    }

    /// Adds a job due at `runAt` (now by default). With a `dedupeKey`, a job of the same key that exists already, in
    /// whatever state, keeps this one from being added: work that must happen once is enqueued once.
    func enqueue(
        _ kind: JobKind, _ payload: JobPayload = .init(), at runAt: Date? = nil, dedupeKey: String? = nil
    )
        async throws
    {
        let now = try await self.now()
        try await self.sql.insert(into: Job.schema)
            .columns("kind", "payload", "dedupe_key", "state", "run_at", "attempts", "created_at")
            .values(
                SQLBind(kind.rawValue), SQLBind(payload.json), SQLBind(dedupeKey), SQLBind(Job.State.pending.rawValue),
                SQLBind(runAt ?? now), SQLBind(0), SQLBind(now)
            )
            .ignoringConflicts(with: "dedupe_key")
            .run()
    }

    /// Takes the next due job for `worker`, or nil when nothing is due.
    func claim(worker: String) async throws -> Claimed? {
        struct Row: Decodable {
            let id: Int
            let kind: String
            let payload: String
            let attempts: Int
        }
        let now = try await self.now()
        let locking: SQLQueryString = self.sql.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""
        let query: SQLQueryString = """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = \(bind: worker),
                locked_until = \(bind: now.addingTimeInterval(Self.lease))
            WHERE id = (
                SELECT id FROM jobs
                WHERE (state = 'pending' AND run_at <= \(bind: now))
                   OR (state = 'running' AND locked_until < \(bind: now) AND attempts < \(bind: self.policy.maximumAttempts))
                ORDER BY run_at, id LIMIT 1 \(locking))
            RETURNING id, kind, payload, attempts
            """
        guard let row = try await self.sql.raw(query).first(decoding: Row.self) else { return nil }
        let payload = (try? JobPayload(json: row.payload)) ?? JobPayload()
        return Claimed(id: row.id, kind: row.kind, payload: payload, attempts: row.attempts)
    }

    /// Marks a claimed job done.
    func finish(_ job: Claimed, worker: String) async throws {
        try await self.sql.update(Job.schema)
            .set("state", to: SQLBind(Job.State.done.rawValue)).set("finished_at", to: SQLBind(try await self.now()))
            .set("locked_by", to: SQLLiteral.null).set("locked_until", to: SQLLiteral.null)
            .set("last_error", to: SQLLiteral.null)
            .where("id", .equal, SQLBind(job.id)).where("locked_by", .equal, SQLBind(worker))
            .run()
    }

    /// Records a failed attempt: the job waits for its next attempt, or fails for good after the last one.
    /// Returns whether it will be tried again.
    @discardableResult
    func fail(_ job: Claimed, worker: String, error: String) async throws -> Bool {
        let now = try await self.now()
        let delay = self.policy.delay(afterFailedAttempts: job.attempts)
        var update = self.sql.update(Job.schema)
            .set("last_error", to: SQLBind(String(error.prefix(2_000))))
            .set("locked_by", to: SQLLiteral.null).set("locked_until", to: SQLLiteral.null)
        if let delay {
            update = update.set("state", to: SQLBind(Job.State.pending.rawValue))
                .set("run_at", to: SQLBind(now.addingTimeInterval(TimeInterval(delay))))
        } else {
            update = update.set("state", to: SQLBind(Job.State.failed.rawValue)).set("finished_at", to: SQLBind(now))
        }
        try await update.where("id", .equal, SQLBind(job.id)).where("locked_by", .equal, SQLBind(worker)).run()
        return delay != nil
    }

    /// Jobs whose runner died on their last attempt fail for good, with that said.
    func failAbandoned() async throws {
        let now = try await self.now()
        try await self.sql.update(Job.schema)
            .set("state", to: SQLBind(Job.State.failed.rawValue)).set("finished_at", to: SQLBind(now))
            .set("last_error", to: SQLBind("The runner stopped during the last attempt."))
            .set("locked_by", to: SQLLiteral.null).set("locked_until", to: SQLLiteral.null)
            .where("state", .equal, SQLBind(Job.State.running.rawValue))
            .where("locked_until", .lessThan, SQLBind(now))
            .where("attempts", .greaterThanOrEqual, SQLBind(self.policy.maximumAttempts))
            .run()
    }

    /// Gives a failed job (or one waiting for its next attempt) a fresh set of attempts, due now.
    func retryNow(id: Int) async throws -> Bool {
        guard let job = try await Job.find(id, on: self.database), job.state == .failed || job.state == .pending
        else { return false }
        job.state = .pending
        job.attempts = 0
        job.runAt = try await self.now()
        job.finishedAt = nil
        try await job.save(on: self.database)
        return true
    }

    /// The time of leases and due times: the database's when the app's clock tells the real time, else the app's.
    func now() async throws -> Date {
        guard self.clock.tellsRealTime else { return self.clock.now() }
        struct Row: Decodable { let now: Double }
        let query: SQLQueryString =
            self.sql.dialect.name == "postgresql"
            ? "SELECT extract(epoch FROM clock_timestamp())::float8 AS now"
            : "SELECT (julianday('now') - 2440587.5) * 86400.0 AS now"
        guard let row = try await self.sql.raw(query).first(decoding: Row.self) else { return self.clock.now() }
        return Date(timeIntervalSince1970: row.now)
    }

    /// Forgets finished work older than `days`; failed jobs stay until they are tried again.
    func forgetDone(olderThan days: Int) async throws {
        try await Job.query(on: self.database).filter(\.$state == .done)
            .filter(\.$finishedAt < self.clock.now().addingTimeInterval(-Double(days) * 86_400)).delete()
    }
}

/// The kinds of background work. Handlers are registered per kind (`JobRunner.Handlers`), so tests may add their own.
struct JobKind: RawRepresentable, Hashable, Sendable {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }

    /// Looks for due reminders and notices (`ReminderScan`); one per half hour.
    static let reminderScan = JobKind(rawValue: "pindai-pengingat")
    /// Sends one outbox message over SMTP.
    static let deliverMail = JobKind(rawValue: "kirim-surat")
    /// Tells the Unit Teknis that the verifikator returned a line.
    static let lineReturned = JobKind(rawValue: "baris-dikembalikan")
    /// Tells a line's author that the instansi's review sent it back to draft.
    static let lineSentBack = JobKind(rawValue: "baris-dikembalikan-reviu")
    /// The deadline notices of one laporan masyarakat, right after it is forwarded.
    static let caseNotice = JobKind(rawValue: "laporan-masyarakat")
    /// Tells a member of the public who left an e-mail address that their report or question has news.
    static let publicReply = JobKind(rawValue: "balasan-publik")

    /// The app's own kinds, which pages name (`jobs.kind.…`).
    static let all: [JobKind] = [
        .reminderScan, .deliverMail, .lineReturned, .lineSentBack, .caseNotice, .publicReply,
    ]
}
