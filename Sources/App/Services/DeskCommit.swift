import Fluent
import StranasCore

/// The one step in which a desk writes: the change, the audit entries that record it and the score refresh it brings,
/// in one transaction.
///
/// Public pages are served from a cache kept current by page topics (`PageCache`, `PageGenerations`): a public number
/// may move only together with an entry that bumps the topics showing it. The step holds that for every writer:
/// entries are appended with the change or not at all, each bumping its own reach; the scores a refresh moved bump
/// their topics at the place of the change's last entry; and a refresh that moves a score without any entry of the
/// writer's own (an operator's `jaga scores refresh` after a correction by hand) appends one saying so.
struct DeskCommit: Sendable {
    let database: any Database
    let clock: AppClock

    /// What a change can move in the stored scores.
    enum Scores: Sendable {
        /// Nothing a score counts.
        case untouched
        /// Anything in the cycle (a plan import, a target revision, a hand correction).
        case cycle(Int)
        /// What lines or targets of these indicators and instansi can move (one report action).
        case touching(cycleID: Int, ScoreBook.Change)
        /// Every cycle, from scratch (the demo seed, `jaga scores rebuild`).
        case rebuilt
    }

    /// Runs `change` in a transaction, appends `events` by `actor` in it, and refreshes `scores`.
    @discardableResult
    func run<Value: Sendable>(
        _ events: [AuditTrail.Event], by actor: AuditTrail.Actor, scores: Scores = .untouched,
        _ change: @escaping @Sendable (any Database) async throws -> Value
    ) async throws -> Value {
        try await self.database.transaction { db in
            let value = try await change(db)
            let trail = AuditTrail(database: db, clock: self.clock)
            var last: AuditEntry?
            for event in events { last = try await trail.record(event, by: actor) ?? last }
            let moved = try await self.refresh(scores, on: db)
            if !moved.isEmpty {
                if let last {
                    try await PageGenerations(database: db).bump(
                        PageReach.topics(moved).bumped, to: last.sequence)
                } else {
                    var event = try await Self.scoresMoved(scores, on: db)
                    event.reach = .topics(moved)
                    try await trail.record(event, by: actor)
                }
            }
            return value
        }
    }

    /// Appends `events` with nothing else to write (a step recorded on its own, or a refresh by hand).
    func record(_ events: [AuditTrail.Event], by actor: AuditTrail.Actor, scores: Scores = .untouched) async throws {
        try await self.run(events, by: actor, scores: scores) { _ in () }
    }

    /// The page topics of the scores and discipline the refresh moved.
    private func refresh(_ scores: Scores, on db: any Database) async throws -> Set<PageTopic> {
        let book = ScoreBook(database: db, today: self.clock.today)
        switch scores {
        case .untouched: return []
        case .cycle(let cycleID): return try await book.refresh(cycleID: cycleID)
        case .touching(let cycleID, let change): return try await book.refresh(cycleID: cycleID, touching: change)
        case .rebuilt:
            try await book.rebuild()
            return [.site]
        }
    }

    /// The entry for scores moved by a refresh that no other entry records: which cycle, and how far.
    private static func scoresMoved(_ scores: Scores, on db: any Database) async throws -> AuditTrail.Event {
        let (cycleID, reach): (Int?, String) =
            switch scores {
            case .untouched, .rebuilt: (nil, "semua periode dihitung ulang")
            case .cycle(let id): (id, "seluruh periode dihitung ulang")
            case .touching(let id, let change):
                (
                    id,
                    "dihitung ulang untuk indikator #"
                        + change.indicatorIDs.sorted().map(String.init).joined(separator: ", #")
                        + " dan instansi #" + change.instansiIDs.sorted().map(String.init).joined(separator: ", #")
                )
            }
        var code: String?
        if let cycleID { code = try await Cycle.find(cycleID, on: db)?.code }
        return AuditTrail.Event(
            action: .scoresRefreshed, subject: code ?? "semua periode", detail: reach, isPublic: true)
    }
}
