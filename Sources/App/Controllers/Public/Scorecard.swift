import Fluent
import SQLKit
import StranasCore
import Vapor

/// An instansi's scorecard in one cycle (rapor): its score per triwulan in both voices, its score in each aksi it
/// carries, and its reporting discipline. Read from the maintained scores; shown on the instansi page and as CSV.
struct Scorecard: Encodable {
    /// A label with its two scores, as shown: percentages and the verified score's band.
    struct Row: Encodable {
        let label: String
        let verified: Double?
        let selfReported: Double?
        let verifiedText: String
        let selfText: String
        let band: String

        init(label: String, verified: Double?, selfReported: Double?, format: DisplayFormat) {
            self.label = label
            self.verified = verified
            self.selfReported = selfReported
            self.verifiedText = format.percent(verified)
            self.selfText = format.percent(selfReported)
            self.band = ScoreBands.standard.name(of: verified)
        }
    }

    let triwulanLabel: String
    let headline: Row
    let series: [Row]
    let aksi: [Row]
    let hasAksi: Bool
    let completeness: String
    let onTime: String
    let returns: Int
    let medianDays: String
    let hasScores: Bool
    let csvURL: String

    private struct ScoreValue: Decodable {
        let triwulan: Int
        let voice: Scoring.Voice
        let scope: ScoreRow.Scope
        let aksiID: Int
        let score: Double

        enum CodingKeys: String, CodingKey {
            case triwulan, voice, scope, score
            case aksiID = "aksi_id"
        }
    }

    /// The scorecard of an instansi. `aksiNames` (number and title by aksi id) saves a query when the caller has
    /// read the aksi the instansi carries.
    static func load(
        instansiID: Int, cycle: Cycle, aksiNames known: [Int: (number: Int, title: String)]? = nil, request: Request
    ) async throws -> Scorecard {
        let cycleID = try cycle.requireID()
        // The instansi's own rows, and the nation's self-reported ones, which say which triwulan to show by default.
        let rows = try await (request.db as! any SQLDatabase).raw(
            """
            SELECT triwulan, voice, scope, aksi_id, score FROM scores
            WHERE cycle_id = \(bind: cycleID)
              AND ((subject_id = \(bind: instansiID)
                    AND scope IN (\(bind: ScoreRow.Scope.instansi.rawValue), \(bind: ScoreRow.Scope.instansiInAksi.rawValue)))
                OR (scope = \(bind: ScoreRow.Scope.national.rawValue) AND voice = \(bind: Scoring.Voice.selfReported.rawValue)))
            """
        ).all(decoding: ScoreValue.self)
        let latestReported = rows.filter { $0.scope == .national && $0.score > 0 }.map(\.triwulan).max()
        let triwulan =
            try DashboardController.requestedTriwulan(request)
            ?? DashboardController.defaultTriwulan(
                for: cycle, latestReported: latestReported, today: request.application.clock.today)
        let discipline = try await DisciplineRow.query(on: request.db).filter(\.$cycle.$id == cycleID)
            .filter(\.$scope == .instansi).filter(\.$subjectID == instansiID).first()
        let aksiIDs = Set(rows.filter { $0.scope == .instansiInAksi }.map(\.aksiID))
        var aksiNames = known ?? [:]
        if known == nil, !aksiIDs.isEmpty {
            for aksi in try await Aksi.query(on: request.db).filter(\.$id ~~ Array(aksiIDs)).all() {
                aksiNames[aksi.id!] = (aksi.number, aksi.title)
            }
        }
        let aksi = aksiIDs.compactMap { id in aksiNames[id].map { (id: id, number: $0.number, title: $0.title) } }
            .sorted { $0.number < $1.number }
        let format = request.displayFormat
        func score(_ scope: ScoreRow.Scope, _ number: Int, _ voice: Scoring.Voice, aksi: Int = 0) -> Double? {
            rows.first { $0.scope == scope && $0.triwulan == number && $0.voice == voice && $0.aksiID == aksi }?.score
        }
        func row(_ label: String, _ verified: Double?, _ own: Double?) -> Row {
            Row(label: label, verified: verified, selfReported: own, format: format)
        }
        let series = (1...ReportingCalendar.triwulanPerCycle).map { number in
            row(
                request.triwulanLabel(number: number, startYear: cycle.startYear),
                score(.instansi, number, .verified), score(.instansi, number, .selfReported))
        }
        let aksiRows = aksi.map { item in
            row(
                request.t("aksi.number", String(item.number)) + " " + item.title,
                score(.instansiInAksi, triwulan, .verified, aksi: item.id),
                score(.instansiInAksi, triwulan, .selfReported, aksi: item.id))
        }
        let summary = discipline?.summary
        return Scorecard(
            triwulanLabel: request.triwulanLabel(number: triwulan, startYear: cycle.startYear),
            headline: series[triwulan - 1], series: series, aksi: aksiRows, hasAksi: !aksiRows.isEmpty,
            completeness: format.percent(summary?.completeness, maximumFractionDigits: 0),
            onTime: format.percent(summary?.onTimeRate, maximumFractionDigits: 0),
            returns: summary?.returns ?? 0,
            medianDays: summary?.medianDaysToVerify.map { format.number($0, maximumFractionDigits: 1) } ?? "–",
            hasScores: rows.contains { $0.scope != .national },
            csvURL: "/instansi/\(instansiID)/rapor.csv?periode=\(cycle.code)&triwulan=\(triwulan)")
    }

    /// The scorecard's numbers as CSV: per triwulan, then per aksi at the chosen triwulan.
    var csv: String {
        let percent = DashboardController.csvPercent
        var lines = ["bagian,nama,terverifikasi_persen,klaim_instansi_persen"]
        lines += self.series.map {
            "triwulan,\(PlanFile.quote($0.label)),\(percent($0.verified)),\(percent($0.selfReported))"
        }
        lines += self.aksi.map {
            "aksi,\(PlanFile.quote($0.label)),\(percent($0.verified)),\(percent($0.selfReported))"
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
