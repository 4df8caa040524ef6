import Fluent
import SQLKit
import StranasCore

/// The published numbers of a cycle at the end of one triwulan, read from the maintained `scores` and `discipline`
/// rows: the national series, each fokus and aksi, the rankings of each kind of instansi in both voices, and the
/// reporting-discipline league table. The dashboard and its CSV show them, and a published triwulan report freezes
/// them (`ResultReport`); the order of every ranking is `Ranking`'s.
enum ResultNumbers {
    /// One row of a score table: a name, its two scores and its band.
    struct ScoreLine: Encodable {
        let rank: Int
        let link: String?
        let code: String?
        let name: String
        let verified: Double?
        let selfReported: Double?
        var verifiedText = ""
        var selfText = ""
        var band = "none"
        /// The verified score as a bar's length, 0 to 100.
        var bar = 0
    }

    struct DisciplineLine: Encodable {
        let rank: Int
        let instansiID: Int
        let name: String
        let completeness: Double?
        let onTime: Double?
        let returns: Int
        let medianDays: Double?
        var completenessText = ""
        var onTimeText = ""
        var medianDaysText = ""
    }

    /// Everything the page and its CSV show.
    struct Numbers {
        let cycle: Cycle
        let triwulan: Int
        let series: [ScoreLine]
        let fokus: [ScoreLine]
        let aksi: [ScoreLine]
        let rankings: [(kind: InstansiKind, lines: [ScoreLine])]
        let discipline: [DisciplineLine]
        /// Every province, scored or not, for the tile map: ISO code, name, id and verified score.
        let provinces: [(isoCode: String, name: String, id: Int, verified: Double?)]
        /// The cycle's reporting deadlines: before one a triwulan's results are not due.
        let deadlines: TriwulanDeadlines
    }

    private struct InstansiRow: Decodable {
        let id: Int
        let name: String
        let kind: InstansiKind
        let isoCode: String?

        enum CodingKeys: String, CodingKey {
            case id, name, kind
            case isoCode = "iso_code"
        }
    }

    static func read(
        cycle: Cycle, triwulan: Int, on database: any Database, today day: CalendarDate
    ) async throws
        -> Numbers
    {
        let cycleID = try cycle.requireID()
        let aksi = try await Aksi.query(on: database).filter(\.$cycle.$id == cycleID).with(\.$fokus).sort(\.$number)
            .all()
        // Hundreds of rows each at national scale: read as plain rows, without model overhead.
        let sql = database as! any SQLDatabase
        let instansi = try await sql.raw("SELECT id, name, kind, iso_code FROM instansi")
            .all(decoding: InstansiRow.self)
        let scores = try await sql.raw(
            """
            SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores
            WHERE cycle_id = \(bind: cycleID) AND scope = 'national'
            UNION ALL
            SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores
            WHERE cycle_id = \(bind: cycleID) AND scope IN ('fokus', 'aksi', 'instansi') AND triwulan = \(bind: triwulan)
            """
        ).all(reading: ScoreRow.Plain.self)
        let discipline = try await sql.raw(
            """
            SELECT \(unsafeRaw: DisciplineRow.Plain.columns) FROM discipline
            WHERE cycle_id = \(bind: cycleID) AND scope = \(bind: DisciplineRow.Scope.instansi.rawValue)
            """
        ).all(decoding: DisciplineRow.Plain.self)

        var value: [ScoreBook.Key: Double] = [:]
        // The selected scopes are the nation's, fokus', aksi' and instansi', whose aksi id is always 0.
        for row in scores { value[row.key] = row.score }
        func pair(_ scope: ScoreRow.Scope, _ id: Int, at number: Int = triwulan) -> (Double?, Double?) {
            (
                value[.init(triwulan: number, voice: .verified, scope: scope, subjectID: id, aksiID: 0)],
                value[.init(triwulan: number, voice: .selfReported, scope: scope, subjectID: id, aksiID: 0)]
            )
        }
        // Triwulan that have not ended yet have no score to show, only an empty place on the time axis.
        let today = day.iso
        let schedule = try await Triwulan.query(on: database).filter(\.$cycle.$id == cycleID).all()
        let ended = schedule.filter { $0.endsOn < today }.count
        let series = (1...ReportingCalendar.triwulanPerCycle).map { number in
            let (verified, own) = number <= max(ended, triwulan) ? pair(.national, 0, at: number) : (nil, nil)
            return ScoreLine(
                rank: number, link: nil, code: ReportingCalendar.monthCode(ofTriwulan: number), name: "TW \(number)",
                verified: verified, selfReported: own)
        }
        var fokusSeen = Set<Int>()
        let fokus = aksi.map(\.fokus).filter { fokusSeen.insert($0.id!).inserted }.sorted { $0.position < $1.position }
            .enumerated().map { index, item in
                let (verified, own) = pair(.fokus, item.id!)
                return ScoreLine(
                    rank: index + 1, link: nil, code: item.code, name: item.name, verified: verified, selfReported: own)
            }
        let aksiLines = aksi.enumerated().map { index, item in
            let (verified, own) = pair(.aksi, item.id!)
            return ScoreLine(
                rank: index + 1, link: SiteURL.aksi(item.number, query: [(CycleLookup.queryParameter, cycle.code)]),
                code: String(item.number),
                name: item.title, verified: verified, selfReported: own)
        }
        let scored = instansi.filter {
            value[.init(triwulan: triwulan, voice: .verified, scope: .instansi, subjectID: $0.id, aksiID: 0)] != nil
        }
        let rankings = InstansiKind.allCases.map { kind in
            let lines = scored.filter { $0.kind == kind }
                .map { item -> ScoreLine in
                    let (verified, own) = pair(.instansi, item.id)
                    return ScoreLine(
                        rank: 0, link: SiteURL.instansi(item.id, query: [(CycleLookup.queryParameter, cycle.code)]),
                        code: nil, name: item.name,
                        verified: verified, selfReported: own)
                }
                .sorted {
                    Ranking.scoreOrder(
                        ($0.verified, $0.selfReported, $0.name), before: ($1.verified, $1.selfReported, $1.name))
                }
            let ranks = Ranking.sharedRanks(lines.map { [$0.verified, $0.selfReported] })
            return (
                kind,
                zip(ranks, lines).map { rank, line in
                    ScoreLine(
                        rank: rank, link: line.link, code: nil, name: line.name, verified: line.verified,
                        selfReported: line.selfReported)
                }
            )
        }
        let names = Dictionary(uniqueKeysWithValues: instansi.map { ($0.id, $0.name) })
        let disciplineLines = discipline.filter { $0.due > 0 || $0.submitted > 0 }
            .map { row -> DisciplineLine in
                let summary = row.summary
                return DisciplineLine(
                    rank: 0, instansiID: row.subjectID, name: names[row.subjectID] ?? "?",
                    completeness: summary.completeness, onTime: summary.onTimeRate, returns: row.returns,
                    medianDays: row.medianDays)
            }
            .sorted {
                Ranking.disciplineOrder(
                    ($0.completeness, $0.onTime, $0.returns, $0.name),
                    before: ($1.completeness, $1.onTime, $1.returns, $1.name))
            }
        let disciplineRanks = Ranking.sharedRanks(
            disciplineLines.map { [$0.completeness, $0.onTime, Double($0.returns)] })
        let rankedDiscipline = zip(disciplineRanks, disciplineLines).map { rank, line in
            DisciplineLine(
                rank: rank, instansiID: line.instansiID, name: line.name, completeness: line.completeness,
                onTime: line.onTime, returns: line.returns, medianDays: line.medianDays)
        }
        let provinces = instansi.filter { $0.kind == .provinsi && $0.isoCode != nil }.map {
            (
                isoCode: $0.isoCode!, name: $0.name, id: $0.id,
                verified: value[
                    .init(triwulan: triwulan, voice: .verified, scope: .instansi, subjectID: $0.id, aksiID: 0)]
            )
        }
        return Numbers(
            cycle: cycle, triwulan: triwulan, series: series, fokus: fokus, aksi: aksiLines, rankings: rankings,
            discipline: rankedDiscipline, provinces: provinces, deadlines: TriwulanDeadlines(schedule))
    }
}
