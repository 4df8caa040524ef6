import Fluent
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

    static func load(instansiID: Int, cycle: Cycle, request: Request) async throws -> Scorecard {
        let cycleID = try cycle.requireID()
        let triwulan = try await DashboardController.triwulan(for: cycle, request: request)
        let rows = try await ScoreRow.query(on: request.db).filter(\.$cycle.$id == cycleID)
            .filter(\.$subjectID == instansiID).filter(\.$scope ~~ [.instansi, .instansiInAksi]).all()
        let discipline = try await DisciplineRow.query(on: request.db).filter(\.$cycle.$id == cycleID)
            .filter(\.$scope == .instansi).filter(\.$subjectID == instansiID).first()
        let aksiIDs = Set(rows.filter { $0.scope == .instansiInAksi }.map(\.aksiID))
        let aksi =
            aksiIDs.isEmpty
            ? [] : try await Aksi.query(on: request.db).filter(\.$id ~~ Array(aksiIDs)).sort(\.$number).all()
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
                score(.instansiInAksi, triwulan, .verified, aksi: item.id!),
                score(.instansiInAksi, triwulan, .selfReported, aksi: item.id!))
        }
        let summary = discipline?.summary
        return Scorecard(
            triwulanLabel: request.triwulanLabel(number: triwulan, startYear: cycle.startYear),
            headline: series[triwulan - 1], series: series, aksi: aksiRows, hasAksi: !aksiRows.isEmpty,
            completeness: format.percent(summary?.completeness, maximumFractionDigits: 0),
            onTime: format.percent(summary?.onTimeRate, maximumFractionDigits: 0),
            returns: summary?.returns ?? 0,
            medianDays: summary?.medianDaysToVerify.map { format.number($0, maximumFractionDigits: 1) } ?? "–",
            hasScores: !rows.isEmpty,
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
