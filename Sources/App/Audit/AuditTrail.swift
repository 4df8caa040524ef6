import Crypto
import Fluent
import Foundation
import SQLKit
import StranasCore
import Vapor

/// Appends to the hash-chained audit log and checks the chain.
///
/// `record` must run on the database (or transaction) that makes the change, so that the change and its entry are
/// written together or not at all.
struct AuditTrail {
    /// Who acted, as the log names them.
    struct Actor: Sendable {
        let id: Int?
        let label: String

        static let commandLine = Actor(id: nil, label: "baris perintah")
        /// The portal's own scheduled work.
        static let system = Actor(id: nil, label: "sistem")

        init(id: Int?, label: String) {
            self.id = id
            self.label = label
        }

        init(_ user: User) {
            self.init(id: user.id, label: "\(user.name) <\(user.email)>")
        }
    }

    /// What is written: everything but the place in the chain.
    struct Event: Sendable {
        var action: AuditAction
        var subject: String
        var detail: String
        var reason: String? = nil
        var isPublic: Bool
        /// Which public pages the change shows on; when not given, every page for a public entry and none for an
        /// internal one. Appending the entry bumps these topics and the trail (`PageGenerations`). An entry dated by
        /// the day bumps nothing when it is kept aside, so its change must show on no public page.
        var reach: PageReach? = nil
        /// Dated by the day only (00:00 in Jakarta), and appended only once the day is over: what an anonymous
        /// reporter does leaves no finer trace, neither in the entry's time nor in its place in the chain.
        var datedByDay = false
        /// For an entry dated by the day: the job its step brings, enqueued with the entry when the day is over.
        var deferredNotice: DeferredNotice? = nil
    }

    /// A job to enqueue when a day-dated entry joins the chain.
    struct DeferredNotice: Sendable {
        let kind: JobKind
        let payload: JobPayload
        let dedupeKey: String?
    }

    /// The hash of the first entry's predecessor.
    static let genesis = String(repeating: "0", count: 64)

    /// Key of the PostgreSQL advisory lock that lines up concurrent appends (SQLite writes one at a time anyway).
    private static let appendLock = 7_310_001

    let database: any Database
    let clock: AppClock

    /// Appends the entry and returns it, or, for an entry dated by the day, keeps it aside (in the same transaction as
    /// the change) until the day is over and returns nil.
    @discardableResult
    func record(_ event: Event, by actor: Actor) async throws -> AuditEntry? {
        guard event.datedByDay else { return try await self.append(event, by: actor) }
        let pending = PendingAuditEntry(
            day: self.clock.today.iso, actor: actor.label, action: event.action.rawValue, subject: event.subject,
            detail: event.detail)
        pending.noticeKind = event.deferredNotice?.kind.rawValue
        pending.noticePayload = event.deferredNotice?.payload.json
        pending.noticeDedupeKey = event.deferredNotice?.dedupeKey
        try await pending.create(on: self.database)
        return nil
    }

    /// Moves the day-dated entries of the days before `today` into the chain, each dated 00:00 of its day, and
    /// enqueues the notices they bring; one transaction per entry. The day's first scan calls it.
    func appendDayDated(before today: CalendarDate) async throws {
        let due = try await PendingAuditEntry.query(on: self.database).filter(\.$day < today.iso).sort(\.$id).all()
        for pending in due {
            guard let day = CalendarDate(iso: pending.day), let id = pending.id else { continue }
            try await self.database.transaction { db in
                let trail = AuditTrail(database: db, clock: self.clock)
                // Two instances' scans may meet here: with appends lined up, only the first finds the row still there.
                try await trail.lineUpAppends()
                guard try await PendingAuditEntry.find(id, on: db) != nil else { return }
                try await trail.append(
                    .init(
                        action: AuditAction(rawValue: pending.action) ?? .publicCase, subject: pending.subject,
                        detail: pending.detail, isPublic: false),
                    by: Actor(id: nil, label: pending.actor), at: Self.midnight(of: day))
                if let kind = pending.noticeKind {
                    let payload = pending.noticePayload.flatMap { try? JobPayload(json: $0) } ?? JobPayload()
                    try await JobQueue(database: db, clock: self.clock).enqueue(
                        JobKind(rawValue: kind), payload, dedupeKey: pending.noticeDedupeKey)
                }
                try await pending.delete(on: db)
            }
        }
    }

    /// 00:00 of `day` in Jakarta.
    static func midnight(of day: CalendarDate) -> Date {
        Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400 - 7 * 3_600))
    }

    /// Holds the transaction-scoped lock that lines up appends on PostgreSQL (SQLite writes one at a time anyway).
    private func lineUpAppends() async throws {
        if let sql = self.database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.appendLock))").run()
        }
    }

    @discardableResult
    private func append(_ event: Event, by actor: Actor, at moment: Date? = nil) async throws -> AuditEntry {
        try await self.lineUpAppends()
        let last = try await AuditEntry.query(on: self.database).sort(\.$sequence, .descending)
            .field(\.$id).field(\.$sequence).field(\.$hash).first()
        let entry = AuditEntry()
        entry.sequence = (last?.sequence ?? 0) + 1
        entry.at = moment ?? Date(timeIntervalSince1970: self.clock.now().timeIntervalSince1970.rounded(.down))
        entry.actorID = actor.id
        entry.actor = actor.label
        entry.action = event.action.rawValue
        entry.subject = event.subject
        entry.detail = event.detail
        entry.reason = event.reason
        entry.isPublic = event.isPublic
        entry.previousHash = last?.hash ?? Self.genesis
        entry.hash = Self.hash(of: entry)
        // The unique sequence refuses a second entry at the same place, should two appends ever race.
        try await entry.create(on: self.database)
        let reach = event.reach ?? (event.isPublic ? .everything : .nothing)
        try await PageGenerations(database: self.database).bump(
            reach.bumped.union([.trail]), to: entry.sequence)
        return entry
    }

    /// SHA-256 over the entry's fields, each on its own line with its length, then the previous hash.
    static func hash(of entry: AuditEntry) -> String {
        let fields = [
            String(entry.sequence), String(Int64(entry.at.timeIntervalSince1970)), entry.actor, entry.action,
            entry.subject, entry.detail, entry.reason ?? "", entry.isPublic ? "public" : "internal",
            entry.previousHash,
        ]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).hex
    }

    /// The first broken link, if any: an entry whose hash does not match its content, that does not point at the hash
    /// before it, or that is not numbered one after the one before.
    struct Break: Error, Equatable {
        let sequence: Int
        let problem: String
    }

    struct Head: Equatable {
        let count: Int
        let hash: String
    }

    /// Walks the whole chain in order, a page at a time.
    func verify() async throws -> Result<Head, Break> {
        var expectedSequence = 1
        var previous = Self.genesis
        while true {
            let page = try await AuditEntry.query(on: self.database).filter(\.$sequence >= expectedSequence)
                .sort(\.$sequence).limit(1000).all()
            if page.isEmpty { break }
            for entry in page {
                if entry.sequence != expectedSequence {
                    return .failure(Break(sequence: expectedSequence, problem: "entry is missing"))
                }
                if entry.previousHash != previous {
                    return .failure(Break(sequence: entry.sequence, problem: "does not follow the entry before it"))
                }
                if Self.hash(of: entry) != entry.hash {
                    return .failure(Break(sequence: entry.sequence, problem: "its content does not match its hash"))
                }
                previous = entry.hash
                expectedSequence += 1
            }
        }
        return .success(Head(count: expectedSequence - 1, hash: previous))
    }

    /// The newest entry's place and hash: what the public page shows so that a rewritten history is noticed.
    /// Read as a plain row: every page view asks (`AuditHeadMiddleware`).
    func head() async throws -> Head {
        struct Row: Decodable {
            let seq: Int
            let hash: String
        }
        let last = try await (self.database as! any SQLDatabase)
            .raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first(decoding: Row.self)
        return Head(count: last?.seq ?? 0, hash: last?.hash ?? Self.genesis)
    }
}
