import Fluent
import SQLKit
import StranasCore

/// One maintained score: of the nation, a fokus, an aksi, an output, an indicator, an instansi, or an instansi within
/// one aksi, in one voice, at the end of one triwulan of a cycle. Kept up to date by `ScoreBook` whenever results
/// change; pages only read them.
final class ScoreRow: Model, @unchecked Sendable {
    static let schema = "scores"

    enum Scope: String, Codable, Sendable, CaseIterable {
        case national, fokus, aksi, output, indicator, instansi
        /// An instansi's score within one aksi (`aksiID`).
        case instansiInAksi = "instansi_aksi"
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    /// Scores are as at the end of this triwulan (month B(3n)).
    @Field(key: "triwulan") var triwulan: Int
    @Enum(key: "voice") var voice: Scoring.Voice
    @Enum(key: "scope") var scope: Scope
    /// The fokus, aksi, output, indicator or instansi id; 0 for the nation.
    @Field(key: "subject_id") var subjectID: Int
    /// The aksi, for `instansiInAksi`; 0 otherwise.
    @Field(key: "aksi_id") var aksiID: Int
    /// 0 to 1.
    @Field(key: "score") var score: Double

    init() {}

    init(cycleID: Int, key: ScoreBook.Key, score: Double) {
        self.$cycle.id = cycleID
        self.triwulan = key.triwulan
        self.voice = key.voice
        self.scope = key.scope
        self.subjectID = key.subjectID
        self.aksiID = key.aksiID
        self.score = score
    }
}

extension ScoreRow {
    /// One stored score as plain values: the one way pages and the score book read the `scores` table without model
    /// overhead (a cycle has thousands of rows). Select `Plain.columns`.
    struct Plain: PlainRow {
        let id: Int
        let triwulan: Int
        let voice: Scoring.Voice
        let scope: Scope
        let subjectID: Int
        let aksiID: Int
        let score: Double

        static let columns = "id, triwulan, voice, scope, subject_id, aksi_id, score"

        init(row: any SQLRow) throws {
            self.id = try row.decode(column: "id", as: Int.self)
            self.triwulan = try row.decode(column: "triwulan", as: Int.self)
            self.voice = try row.decode(column: "voice", caseOf: Scoring.Voice.self)
            self.scope = try row.decode(column: "scope", caseOf: Scope.self)
            self.subjectID = try row.decode(column: "subject_id", as: Int.self)
            self.aksiID = try row.decode(column: "aksi_id", as: Int.self)
            self.score = try row.decode(column: "score", as: Double.self)
        }

        var key: ScoreBook.Key {
            ScoreBook.Key(
                triwulan: self.triwulan, voice: self.voice, scope: self.scope, subjectID: self.subjectID,
                aksiID: self.aksiID)
        }
    }
}

/// An instansi's (or a verifikator's) reporting discipline in a cycle, maintained with the scores.
final class DisciplineRow: Model, @unchecked Sendable {
    static let schema = "discipline"

    enum Scope: String, Codable, Sendable {
        case instansi, verifikator
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Enum(key: "scope") var scope: Scope
    @Field(key: "subject_id") var subjectID: Int
    @Field(key: "due") var due: Int
    @Field(key: "reported_by_due") var reportedByDue: Int
    @Field(key: "submitted") var submitted: Int
    @Field(key: "on_time") var onTime: Int
    @Field(key: "returns") var returns: Int
    @OptionalField(key: "median_days") var medianDays: Double?
    /// The day "due" was judged on (ISO).
    @Field(key: "computed_on") var computedOn: String

    init() {}

    var summary: Discipline.Summary { Plain(self).summary }
}

extension DisciplineRow {
    /// A discipline row read without model overhead: the dashboard ranks every instansi's.
    struct Plain: Decodable, Sendable {
        let subjectID: Int
        let due: Int
        let reportedByDue: Int
        let submitted: Int
        let onTime: Int
        let returns: Int
        let medianDays: Double?

        static let columns = "subject_id, due, reported_by_due, submitted, on_time, returns, median_days"

        enum CodingKeys: String, CodingKey {
            case due, submitted, returns
            case subjectID = "subject_id"
            case reportedByDue = "reported_by_due"
            case onTime = "on_time"
            case medianDays = "median_days"
        }

        init(_ row: DisciplineRow) {
            self.subjectID = row.subjectID
            self.due = row.due
            self.reportedByDue = row.reportedByDue
            self.submitted = row.submitted
            self.onTime = row.onTime
            self.returns = row.returns
            self.medianDays = row.medianDays
        }

        var summary: Discipline.Summary {
            var summary = Discipline.Summary()
            summary.due = self.due
            summary.reportedByDue = self.reportedByDue
            summary.submitted = self.submitted
            summary.onTime = self.onTime
            summary.returns = self.returns
            summary.medianDaysToVerify = self.medianDays
            return summary
        }
    }
}
