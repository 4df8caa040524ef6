import Fluent
import Foundation
import SQLKit
import StranasCore
import Vapor

/// Keeps the `scores` and `discipline` tables equal to what `Scoring` and `Discipline` compute from the plan and the
/// report lines. Every change that can move a score (a report action, a target revision, a plan edit) calls
/// `refresh` for its cycle in the same transaction; pages only read the tables. `refresh` computes the cycle from
/// scratch in memory and writes only the rows that differ, so a verification writes a handful of rows.
/// `jaga scores rebuild` empties the tables and writes everything again; both must agree.
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

    // MARK: - Computing

    private struct TargetLine: Decodable {
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

        enum CodingKeys: String, CodingKey {
            case targetID = "target_id"
            case indicatorID = "indicator_id"
            case instansiID = "instansi_id"
            case number
            case dueOn = "due_on"
            case value
            case lineID = "line_id"
            case state, capaian
            case verifiedValue = "verified_value"
            case timeliness, returns, submitted
        }
    }

    func compute(cycleID: Int) async throws -> Computed {
        let sql = self.database as! any SQLDatabase
        let (aksi, outputs, indicators) = try await PlanStore(database: self.database).tree(cycleID: cycleID)
        let rows = try await sql.raw(
            """
            SELECT t.id AS target_id, t.indicator_id, t.instansi_id, w.number, w.due_on, t.value,
                   l.id AS line_id, l.state, l.capaian, l.verified_value, l.timeliness, l.returns,
                   CASE WHEN l.first_submitted_at IS NULL THEN 0 ELSE 1 END AS submitted
            FROM targets t
            JOIN triwulan w ON w.id = t.triwulan_id
            LEFT JOIN report_lines l ON l.target_id = t.id
            WHERE w.cycle_id = \(bind: cycleID)
            """
        ).all(decoding: TargetLine.self)

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
                let scores = Scoring.scores(of: plan, atMonth: triwulan * 3, voice: voice)
                func put(_ scope: ScoreRow.Scope, _ subject: Int, _ score: Double?, aksi: Int = 0) {
                    guard let score else { return }
                    computed.scores[
                        Key(triwulan: triwulan, voice: voice, scope: scope, subjectID: subject, aksiID: aksi)] =
                        score
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

        // Discipline per instansi, and per verifikator (their decision times).
        let lineIDs = rows.compactMap(\.lineID)
        var times: [VerificationTime] = []
        for chunk in lineIDs.chunks(of: 1000) {
            times += try await VerificationTime.query(on: self.database).filter(\.$line.$id ~~ chunk).all()
        }
        let timesByLine = Dictionary(grouping: times, by: { $0.$line.id })
        var linesByInstansi: [Int: [Discipline.Line]] = [:]
        for row in rows {
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
        for (userID, decisions) in Dictionary(grouping: times.filter { $0.$user.id != nil }, by: { $0.$user.id! }) {
            var summary = Discipline.Summary()
            summary.medianDaysToVerify = Discipline.median(decisions.map(\.days))
            summary.submitted = decisions.count
            computed.discipline[DisciplineKey(scope: .verifikator, subjectID: userID)] = summary
        }
        return computed
    }

    // MARK: - Storing

    private struct StoredScore: Decodable {
        let id: Int
        let triwulan: Int
        let voice: String
        let scope: String
        let subjectID: Int
        let aksiID: Int
        let score: Double

        enum CodingKeys: String, CodingKey {
            case id, triwulan, voice, scope, score
            case subjectID = "subject_id"
            case aksiID = "aksi_id"
        }

        var key: Key? {
            guard let voice = Scoring.Voice(rawValue: self.voice), let scope = ScoreRow.Scope(rawValue: self.scope)
            else {
                return nil
            }
            return Key(
                triwulan: self.triwulan, voice: voice, scope: scope, subjectID: self.subjectID, aksiID: self.aksiID)
        }
    }

    /// The stored scores of a cycle, read without model overhead: a cycle has thousands.
    private func storedScores(cycleID: Int) async throws -> [Key: StoredScore] {
        let rows = try await (self.database as! any SQLDatabase).raw(
            "SELECT id, triwulan, voice, scope, subject_id, aksi_id, score FROM scores WHERE cycle_id = \(bind: cycleID)"
        ).all(decoding: StoredScore.self)
        var result: [Key: StoredScore] = [:]
        for row in rows { if let key = row.key { result[key] = row } }
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

    /// Brings the cycle's stored rows to what `compute` gives, writing only the differences.
    func refresh(cycleID: Int) async throws {
        let wanted = try await self.compute(cycleID: cycleID)
        let sql = self.database as! any SQLDatabase
        let existing = try await self.storedScores(cycleID: cycleID)
        var stale: [Int] = []
        for (key, row) in existing {
            if let score = wanted.scores[key] {
                if row.score != score {
                    try await sql.update("scores").set("score", to: score).where("id", .equal, row.id).run()
                }
            } else {
                stale.append(row.id)
            }
        }
        for chunk in stale.chunks(of: 500) {
            try await ScoreRow.query(on: self.database).filter(\.$id ~~ chunk).delete()
        }
        let added = wanted.scores.filter { existing[$0.key] == nil }.map {
            ScoreRow(cycleID: cycleID, key: $0.key, score: $0.value)
        }
        for chunk in added.chunks(of: 500) { try await chunk.create(on: self.database) }

        let disciplineRows = try await DisciplineRow.query(on: self.database).filter(\.$cycle.$id == cycleID).all()
        var existingDiscipline = Dictionary(
            disciplineRows.map { (DisciplineKey(scope: $0.scope, subjectID: $0.subjectID), $0) },
            uniquingKeysWith: { first, _ in first })
        for (key, summary) in wanted.discipline {
            let row = existingDiscipline.removeValue(forKey: key) ?? DisciplineRow()
            if row.id != nil, row.summary == summary, row.computedOn == self.today.iso { continue }
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
        for row in existingDiscipline.values { try await row.delete(on: self.database) }
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

extension Request {
    /// The score book on `database` (this request's, or its transaction), judging "due" by today in Jakarta.
    func scoreBook(on database: any Database) -> ScoreBook {
        ScoreBook(database: database, today: self.application.clock.today)
    }
}
