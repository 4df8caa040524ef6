import Fluent
import Foundation
import SQLKit
import StranasCore
import Vapor

/// Keeps the `scores` and `discipline` tables equal to what `Scoring` and `Discipline` compute from the plan and the
/// report lines. Every change that can move a score (a report action, a target revision, a plan edit) calls
/// `refresh` for its cycle in the same transaction; pages only read the tables. `refresh` computes in memory and
/// writes only the rows that differ, so a verification writes a handful of rows. A change to some lines or targets
/// (`Change`) recomputes only what they can move: their indicators and their instansi from all their lines, and the
/// outputs, aksi, fokus and national scores rolled up from the indicators' scores. `jaga scores rebuild` empties the
/// tables and writes everything again; all must agree.
struct ScoreBook {
    let database: any Database
    /// The day discipline judges "due" on.
    let today: CalendarDate

    struct Key: Hashable, Sendable {
        let triwulan: Int
        let voice: Scoring.Voice
        let scope: ScoreRow.Scope
        let subjectID: Int
        let aksiID: Int
    }

    struct DisciplineKey: Hashable, Sendable {
        let scope: DisciplineRow.Scope
        let subjectID: Int
    }

    struct Computed: Equatable {
        var scores: [Key: Double] = [:]
        var discipline: [DisciplineKey: Discipline.Summary] = [:]
    }

    /// What a change touched: the lines or targets of these indicators and instansi.
    struct Change: Sendable {
        var indicatorIDs: Set<Int>
        var instansiIDs: Set<Int>
    }

    /// The part of a cycle's scores a change can move: its indicators' scores (from all their lines), its instansi's
    /// scores overall and within each aksi (from all their lines), and everything rolled up from indicators: outputs,
    /// aksi, fokus and the nation (from the fresh indicator scores and the stored ones of the rest).
    private struct Reach {
        let indicatorIDs: Set<Int>
        let instansiIDs: Set<Int>

        func contains(_ key: Key) -> Bool {
            switch key.scope {
            case .national, .fokus, .aksi, .output: true
            case .indicator: self.indicatorIDs.contains(key.subjectID)
            case .instansi, .instansiInAksi: self.instansiIDs.contains(key.subjectID)
            }
        }
    }

    // MARK: - Computing

    private struct TargetLine: PlainRow {
        let targetID: Int
        let indicatorID: Int
        let instansiID: Int
        let number: Int
        let dueOn: String
        let value: Double
        let lineID: Int?
        let state: String?
        let capaian: Double?
        let verifiedValue: Double?
        let timeliness: String?
        let returns: Int?
        let submitted: Int?

        init(row: any SQLRow) throws {
            self.targetID = try row.decode(column: "target_id", as: Int.self)
            self.indicatorID = try row.decode(column: "indicator_id", as: Int.self)
            self.instansiID = try row.decode(column: "instansi_id", as: Int.self)
            self.number = try row.decode(column: "number", as: Int.self)
            self.dueOn = try row.decode(column: "due_on", as: String.self)
            self.value = try row.decode(column: "value", as: Double.self)
            self.lineID = try row.decode(column: "line_id", as: Int?.self)
            self.state = try row.decode(column: "state", as: String?.self)
            self.capaian = try row.decode(column: "capaian", as: Double?.self)
            self.verifiedValue = try row.decode(column: "verified_value", as: Double?.self)
            self.timeliness = try row.decode(column: "timeliness", as: String?.self)
            self.returns = try row.decode(column: "returns", as: Int?.self)
            self.submitted = try row.decode(column: "submitted", as: Int?.self)
        }
    }

    func compute(cycleID: Int) async throws -> Computed {
        try await self.compute(cycleID: cycleID, within: nil)
    }

    /// Computes the cycle's scores and discipline; within a reach, only the lines that decide it are read, and
    /// only the scores and discipline it holds are returned.
    private func compute(
        cycleID: Int, within reach: Reach?, storedIndicators: [Key: Double] = [:]
    ) async throws
        -> Computed
    {
        let sql = self.database as! any SQLDatabase
        let (aksi, outputs, indicators) = try await PlanStore(database: self.database).tree(cycleID: cycleID)
        var query: SQLQueryString = """
            SELECT t.id AS target_id, t.indicator_id, t.instansi_id, w.number, w.due_on, t.value,
                   l.id AS line_id, l.state, l.capaian, l.verified_value, l.timeliness, l.returns,
                   CASE WHEN l.first_submitted_at IS NULL THEN 0 ELSE 1 END AS submitted
            FROM targets t
            JOIN triwulan w ON w.id = t.triwulan_id
            LEFT JOIN report_lines l ON l.target_id = t.id
            WHERE w.cycle_id = \(bind: cycleID)
            """
        if let reach {
            query =
                query + " AND (t.indicator_id IN (\(binds: Array(reach.indicatorIDs) + [0]))"
                + " OR t.instansi_id IN (\(binds: Array(reach.instansiIDs) + [0])))"
        }
        let rows = try await sql.raw(query).all(reading: TargetLine.self)

        let plan = Scoring.Plan(
            aksi: aksi.map { .init(id: $0.id!, fokusID: $0.$fokus.id) },
            outputs: outputs.map { .init(id: $0.id!, aksiID: $0.$aksi.id) },
            indicators: indicators.map {
                .init(id: $0.id!, outputID: $0.$output.id, kind: $0.kind, weight: $0.weight)
            },
            lines: rows.map { row in
                let reachedSetnas = (row.submitted ?? 0) == 1
                return .init(
                    indicatorID: row.indicatorID, instansiID: row.instansiID, triwulan: row.number,
                    target: row.value, selfReported: reachedSetnas ? row.capaian : nil,
                    verified: row.state == ReportState.accepted.rawValue ? row.verifiedValue : nil)
            })
        var computed = Computed()
        for triwulan in 1...ReportingCalendar.triwulanPerCycle {
            for voice in Scoring.Voice.allCases {
                var scores = Scoring.scores(of: plan, atMonth: triwulan * 3, voice: voice)
                if let reach {
                    // Indicators out of reach were computed from some of their lines only: their stored scores
                    // stand, and everything above is rolled up again from those and the fresh ones.
                    var indicatorScores = scores.indicators.filter { reach.indicatorIDs.contains($0.key) }
                    for (key, score) in storedIndicators
                    where key.triwulan == triwulan && key.voice == voice && !reach.indicatorIDs.contains(key.subjectID)
                    {
                        indicatorScores[key.subjectID] = score
                    }
                    scores.indicators = indicatorScores
                    Scoring.rollUp(plan, into: &scores)
                }
                func put(_ scope: ScoreRow.Scope, _ subject: Int, _ score: Double?, aksi: Int = 0) {
                    guard let score else { return }
                    let key = Key(triwulan: triwulan, voice: voice, scope: scope, subjectID: subject, aksiID: aksi)
                    if reach?.contains(key) ?? true { computed.scores[key] = score }
                }
                put(.national, 0, scores.national)
                for (id, score) in scores.fokus { put(.fokus, id, score) }
                for (id, score) in scores.aksi { put(.aksi, id, score) }
                for (id, score) in scores.outputs { put(.output, id, score) }
                for (id, score) in scores.indicators { put(.indicator, id, score) }
                for (id, score) in scores.instansi { put(.instansi, id, score) }
                for (aksiID, byInstansi) in scores.instansiInAksi {
                    for (id, score) in byInstansi { put(.instansiInAksi, id, score, aksi: aksiID) }
                }
            }
        }

        // Discipline per instansi (within a reach, of its instansi, whose lines are all read), and per verifikator
        // (their decision times, within a reach those of the verifikators who decided on a line read).
        let disciplined = rows.filter { reach?.instansiIDs.contains($0.instansiID) ?? true }
        var times: [VerificationTime] = []
        for chunk in disciplined.compactMap(\.lineID).chunks(of: 1000) {
            times += try await VerificationTime.query(on: self.database).filter(\.$line.$id ~~ chunk).all()
        }
        let timesByLine = Dictionary(grouping: times, by: { $0.$line.id })
        var linesByInstansi: [Int: [Discipline.Line]] = [:]
        for row in disciplined {
            linesByInstansi[row.instansiID, default: []].append(
                Discipline.Line(
                    dueOn: CalendarDate(iso: row.dueOn)!, asksSomething: row.value > 0,
                    submission: (row.submitted ?? 0) == 1 ? row.timeliness.flatMap(Timeliness.init(rawValue:)) : nil,
                    returns: row.returns ?? 0,
                    daysToVerify: row.lineID.map { (timesByLine[$0] ?? []).map(\.days) } ?? []))
        }
        for (instansiID, lines) in linesByInstansi {
            computed.discipline[DisciplineKey(scope: .instansi, subjectID: instansiID)] = Discipline.summarize(
                lines, today: self.today)
        }
        let decisions =
            reach == nil
            ? times
            : try await self.decisions(
                cycleID: cycleID, by: Set(times.compactMap { $0.$user.id }))
        for (userID, decisions) in Dictionary(grouping: decisions.filter { $0.$user.id != nil }, by: { $0.$user.id! }) {
            var summary = Discipline.Summary()
            summary.medianDaysToVerify = Discipline.median(decisions.map(\.days))
            summary.submitted = decisions.count
            computed.discipline[DisciplineKey(scope: .verifikator, subjectID: userID)] = summary
        }
        return computed
    }

    /// Every decision these verifikators took on the cycle's lines.
    private func decisions(cycleID: Int, by userIDs: Set<Int>) async throws -> [VerificationTime] {
        guard !userIDs.isEmpty else { return [] }
        return try await VerificationTime.query(on: self.database)
            .join(ReportLine.self, on: \VerificationTime.$line.$id == \ReportLine.$id)
            .join(Target.self, on: \ReportLine.$target.$id == \Target.$id)
            .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
            .filter(Triwulan.self, \.$cycle.$id == cycleID)
            .filter(\.$user.$id ~~ Array(userIDs))
            .all()
    }

    // MARK: - Storing

    /// The stored scores of a cycle, read without model overhead: a cycle has thousands. Within a reach, the rows
    /// it holds and every aksi score (which the fokus and national scores are rolled up from).
    private func storedScores(cycleID: Int, within reach: Reach? = nil) async throws -> [Key: ScoreRow.Plain] {
        let select: SQLQueryString =
            "SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores WHERE cycle_id = \(bind: cycleID)"
        var query = select
        if let reach {
            // One index search per scope (an `OR` across them would read the whole cycle's scores).
            func ids(_ set: Set<Int>) -> [any Encodable & Sendable] { Array(set) + [0] }
            func scope(_ scope: ScoreRow.Scope) -> SQLQueryString { " AND scope = \(bind: scope.rawValue)" }
            let plan: [ScoreRow.Scope] = [.national, .fokus, .aksi, .output, .indicator]
            let instansi: [ScoreRow.Scope] = [.instansi, .instansiInAksi]
            query =
                select + " AND scope IN (\(binds: plan.map(\.rawValue)))" + " UNION ALL " + select
                + " AND scope IN (\(binds: instansi.map(\.rawValue))) AND subject_id IN (\(binds: ids(reach.instansiIDs)))"
        }
        let rows = try await (self.database as! any SQLDatabase).raw(query).all(reading: ScoreRow.Plain.self)
        var result: [Key: ScoreRow.Plain] = [:]
        for row in rows { result[row.key] = row }
        return result
    }

    func stored(cycleID: Int) async throws -> Computed {
        var result = Computed()
        for (key, row) in try await self.storedScores(cycleID: cycleID) { result.scores[key] = row.score }
        for row in try await DisciplineRow.query(on: self.database).filter(\.$cycle.$id == cycleID).all() {
            result.discipline[DisciplineKey(scope: row.scope, subjectID: row.subjectID)] = row.summary
        }
        return result
    }

    /// Brings the cycle's stored rows to what `compute` gives, writing only the differences; the page topics of the
    /// rows that moved (none when nothing did).
    @discardableResult
    func refresh(cycleID: Int) async throws -> Set<PageTopic> {
        let wanted = try await self.compute(cycleID: cycleID)
        return try await self.write(
            wanted, over: try await self.storedScores(cycleID: cycleID), cycleID: cycleID, within: nil)
    }

    /// Brings up to date what a change to some lines or targets can move, and nothing else: a request never pays for
    /// the whole cycle. On a new day the instansi it reaches are judged on that day before the others are; the day's
    /// first reminder scan judges the rest (`needsJudging`). The page topics of the rows that moved.
    @discardableResult
    func refresh(cycleID: Int, touching change: Change) async throws -> Set<PageTopic> {
        let reach = Reach(indicatorIDs: change.indicatorIDs, instansiIDs: change.instansiIDs)
        let existing = try await self.storedScores(cycleID: cycleID, within: reach)
        var storedIndicators: [Key: Double] = [:]
        for (key, row) in existing where key.scope == .indicator { storedIndicators[key] = row.score }
        let wanted = try await self.compute(cycleID: cycleID, within: reach, storedIndicators: storedIndicators)
        return try await self.write(
            wanted, over: existing.filter { reach.contains($0.key) }, cycleID: cycleID, within: reach)
    }

    /// Writes the differences between the wanted rows and the stored ones, and returns the page topics of the rows
    /// that moved. Within a reach, discipline rows of instansi and verifikators outside it are left alone.
    private func write(
        _ wanted: Computed, over existing: [Key: ScoreRow.Plain], cycleID: Int, within reach: Reach?
    )
        async throws -> Set<PageTopic>
    {
        let sql = self.database as! any SQLDatabase
        var stale: [Int] = []
        var moved = Moved()
        for (key, row) in existing {
            if let score = wanted.scores[key] {
                if row.score != score {
                    moved.add(key, from: row.score, to: score)
                    try await sql.update("scores").set("score", to: score).where("id", .equal, row.id).run()
                }
            } else {
                moved.add(key, from: row.score, to: nil)
                stale.append(row.id)
            }
        }
        for chunk in stale.chunks(of: 500) {
            try await ScoreRow.query(on: self.database).filter(\.$id ~~ chunk).delete()
        }
        let added = wanted.scores.filter { existing[$0.key] == nil }
        for (key, score) in added { moved.add(key, from: nil, to: score) }
        for chunk in added.map({ ScoreRow(cycleID: cycleID, key: $0.key, score: $0.value) }).chunks(of: 500) {
            try await chunk.create(on: self.database)
        }

        var query = DisciplineRow.query(on: self.database).filter(\.$cycle.$id == cycleID)
        if let reach {
            let verifikators = wanted.discipline.keys.filter { $0.scope == .verifikator }.map(\.subjectID)
            query = query.group(.or) { group in
                group.group(.and) {
                    $0.filter(\.$scope == .instansi).filter(\.$subjectID ~~ Array(reach.instansiIDs))
                }
                group.group(.and) { $0.filter(\.$scope == .verifikator).filter(\.$subjectID ~~ verifikators) }
            }
        }
        var existingDiscipline = Dictionary(
            try await query.all().map { (DisciplineKey(scope: $0.scope, subjectID: $0.subjectID), $0) },
            uniquingKeysWith: { first, _ in first })
        for (key, summary) in wanted.discipline {
            let row = existingDiscipline.removeValue(forKey: key) ?? DisciplineRow()
            if row.id != nil, row.summary == summary, row.computedOn == self.today.iso { continue }
            if row.id == nil || row.summary != summary { moved.add(key) }
            row.$cycle.id = cycleID
            row.scope = key.scope
            row.subjectID = key.subjectID
            row.due = summary.due
            row.reportedByDue = summary.reportedByDue
            row.submitted = summary.submitted
            row.onTime = summary.onTime
            row.returns = summary.returns
            row.medianDays = summary.medianDaysToVerify
            row.computedOn = self.today.iso
            try await row.save(on: self.database)
        }
        for (key, row) in existingDiscipline {
            moved.add(key)
            try await row.delete(on: self.database)
        }
        return moved.topics
    }

    /// What a write moved, as the page topics that show it. Output and indicator scores are shown only in the
    /// nation's lists (the open data API); an aksi's page shows its own score and its instansi's.
    private struct Moved {
        var topics: Set<PageTopic> = []

        mutating func add(_ key: Key, from old: Double?, to new: Double?) {
            self.topics.insert(.nation)
            switch key.scope {
            case .national:
                // The triwulan shown by default is the latest with claims anywhere: it moves when one gains its
                // first claim or loses its last.
                if key.voice == .selfReported, ((old ?? 0) > 0) != ((new ?? 0) > 0) {
                    self.topics.insert(.shownTriwulan)
                }
            case .fokus, .output, .indicator: break
            case .aksi: self.topics.insert(.aksi(key.subjectID))
            case .instansi: self.topics.insert(.instansi(key.subjectID))
            case .instansiInAksi: self.topics.formUnion([.aksi(key.aksiID), .instansi(key.subjectID)])
            }
        }

        mutating func add(_ key: DisciplineKey) {
            self.topics.insert(.nation)
            if key.scope == .instansi { self.topics.insert(.instansi(key.subjectID)) }
        }
    }

    /// Whether some of the cycle's discipline was judged on an earlier day than `today` (or not at all), and the whole
    /// cycle wants refreshing.
    func needsJudging(cycleID: Int) async throws -> Bool {
        let oldest = try await DisciplineRow.query(on: self.database).filter(\.$cycle.$id == cycleID)
            .filter(\.$scope == .instansi).sort(\.$computedOn).first()
        return oldest?.computedOn != self.today.iso
    }

    /// Empties both tables and computes every cycle again.
    func rebuild() async throws {
        try await ScoreRow.query(on: self.database).delete()
        try await DisciplineRow.query(on: self.database).delete()
        for cycle in try await Cycle.query(on: self.database).all() {
            try await self.refresh(cycleID: cycle.requireID())
        }
    }
}
