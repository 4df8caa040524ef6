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

        /// `notDue` is the text for a triwulan whose deadline has not passed (`ReportingCalendar.isDue`): shown
        /// instead of empty scores, and its scores carry no band's colour.
        init(label: String, verified: Double?, selfReported: Double?, format: DisplayFormat, notDue: String? = nil) {
            self.label = label
            self.verified = verified
            self.selfReported = selfReported
            if let notDue, verified == nil, selfReported == nil {
                self.verifiedText = notDue
                self.selfText = notDue
            } else {
                self.verifiedText = format.percent(verified)
                self.selfText = format.percent(selfReported)
            }
            self.band = notDue == nil ? ScoreBands.standard.name(of: verified) : "none"
        }
    }

    let triwulanLabel: String
    /// Before the shown triwulan's deadline: what the headline's score means then.
    let notDue: String?
    let headline: Row
    let series: [Row]
    let aksi: [Row]
    let hasAksi: Bool
    let completeness: String
    let onTime: String
    let returns: Int
    let medianDays: String
    let hasScores: Bool
    /// Public reports forwarded to the instansi, answered, and answered late or overdue (never their content).
    let casesLine: String?
    let casesLate: Int
    /// Published usulan and pertanyaan addressed to the instansi.
    let inputsLine: String
    let csvURL: String

    private struct DisciplineWithCases: Decodable {
        let due: Int?
        let reportedByDue: Int?
        let submitted: Int?
        let onTime: Int?
        let returns: Int?
        let medianDays: Double?
        let casesForwarded: Int
        let casesAnswered: Int
        let casesLate: Int
        let inputsUsulan: Int
        let inputsPertanyaan: Int

        enum CodingKeys: String, CodingKey {
            case due
            case reportedByDue = "reported_by_due"
            case submitted
            case onTime = "on_time"
            case returns
            case medianDays = "median_days"
            case casesForwarded = "cases_forwarded"
            case casesAnswered = "cases_answered"
            case casesLate = "cases_late"
            case inputsUsulan = "inputs_usulan"
            case inputsPertanyaan = "inputs_pertanyaan"
        }

        /// Nil when the instansi has no discipline row in the cycle.
        var summary: Discipline.Summary? {
            guard let due, let reportedByDue, let submitted, let onTime, let returns else { return nil }
            var summary = Discipline.Summary()
            summary.due = due
            summary.reportedByDue = reportedByDue
            summary.submitted = submitted
            summary.onTime = onTime
            summary.returns = returns
            summary.medianDaysToVerify = self.medianDays
            return summary
        }
    }

    /// The scorecard of an instansi. `aksiNames` (number and title by aksi id) saves a query when the caller has
    /// read the aksi the instansi carries.
    static func load(
        instansiID: Int, cycle: Cycle, aksiNames known: [Int: (number: Int, title: String)]? = nil, request: Request
    ) async throws -> Scorecard {
        let cycleID = try cycle.requireID()
        request.shows(.instansi(instansiID))
        // The instansi's own rows, and the nation's self-reported ones, which say which triwulan to show by default:
        // two index searches (an `OR` between them would read the whole cycle's scores).
        let rows = try await (request.db as! any SQLDatabase).raw(
            """
            SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores
            WHERE cycle_id = \(bind: cycleID) AND subject_id = \(bind: instansiID)
              AND scope IN (\(bind: ScoreRow.Scope.instansi.rawValue), \(bind: ScoreRow.Scope.instansiInAksi.rawValue))
            UNION ALL
            SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores
            WHERE cycle_id = \(bind: cycleID) AND scope = \(bind: ScoreRow.Scope.national.rawValue)
              AND voice = \(bind: Scoring.Voice.selfReported.rawValue)
            """
        ).all(reading: ScoreRow.Plain.self)
        let latestReported = rows.filter { $0.scope == .national && $0.score > 0 }.map(\.triwulan).max()
        let requested = try request.requestedTriwulan()
        if requested == nil { request.shows(.shownTriwulan) }
        let triwulan =
            requested
            ?? ReportingCalendar.publicTriwulan(
                startYear: cycle.startYear, latestReported: latestReported, today: request.application.clock.today)
        // Discipline and the public reports forwarded to the instansi, in one statement.
        let today = request.application.clock.today.iso
        let forwarded = CaseState.diteruskan.rawValue
        let discipline = try await (request.db as! any SQLDatabase).raw(
            """
            SELECT d.due, d.reported_by_due, d.submitted, d.on_time, d.returns, d.median_days,
              (SELECT COUNT(*) FROM public_cases c WHERE c.instansi_id = \(bind: instansiID)
                 AND c.forwarded_on IS NOT NULL) AS cases_forwarded,
              (SELECT COUNT(*) FROM public_cases c WHERE c.instansi_id = \(bind: instansiID)
                 AND c.answered_on IS NOT NULL) AS cases_answered,
              (SELECT COUNT(*) FROM public_cases c WHERE c.instansi_id = \(bind: instansiID) AND c.due_on IS NOT NULL
                 AND ((c.state = \(bind: forwarded) AND c.due_on < \(bind: today)) OR c.answered_on > c.due_on))
                 AS cases_late,
              (SELECT COUNT(*) FROM public_inputs p WHERE p.instansi_id = \(bind: instansiID)
                 AND p.state = \(bind: PublicInputState.disetujui.rawValue)
                 AND p.kind = \(bind: PublicInputKind.usulan.rawValue)) AS inputs_usulan,
              (SELECT COUNT(*) FROM public_inputs p WHERE p.instansi_id = \(bind: instansiID)
                 AND p.state = \(bind: PublicInputState.disetujui.rawValue)
                 AND p.kind = \(bind: PublicInputKind.pertanyaan.rawValue)) AS inputs_pertanyaan
            FROM (SELECT 1 AS one) anchor
            LEFT JOIN discipline d ON d.cycle_id = \(bind: cycleID) AND d.scope = \(bind: DisciplineRow.Scope.instansi.rawValue)
              AND d.subject_id = \(bind: instansiID)
            """
        ).first(decoding: DisciplineWithCases.self)
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
        let day = request.application.clock.today
        let deadlines = try await TriwulanDeadlines.load(cycleID: cycleID, on: request.db)
        let notDue = request.t("score.not_due")
        func isDue(_ number: Int) -> Bool { deadlines.isDue(number, today: day) }
        func row(_ label: String, _ verified: Double?, _ own: Double?, triwulan number: Int) -> Row {
            Row(
                label: label, verified: verified, selfReported: own, format: format,
                notDue: isDue(number) ? nil : notDue)
        }
        let series = (1...ReportingCalendar.triwulanPerCycle).map { number in
            row(
                request.triwulanLabel(number: number, startYear: cycle.startYear),
                score(.instansi, number, .verified), score(.instansi, number, .selfReported), triwulan: number)
        }
        let aksiRows = aksi.map { item in
            row(
                request.t("aksi.number", String(item.number)) + " " + item.title,
                score(.instansiInAksi, triwulan, .verified, aksi: item.id),
                score(.instansiInAksi, triwulan, .selfReported, aksi: item.id), triwulan: triwulan)
        }
        let summary = discipline?.summary
        let cases = (
            forwarded: discipline?.casesForwarded ?? 0, answered: discipline?.casesAnswered ?? 0,
            late: discipline?.casesLate ?? 0
        )
        return Scorecard(
            triwulanLabel: request.triwulanLabel(number: triwulan, startYear: cycle.startYear),
            notDue: isDue(triwulan)
                ? nil : request.t("score.not_due_until", deadlines.dueOn[triwulan].map(format.date) ?? notDue),
            headline: series[triwulan - 1], series: series, aksi: aksiRows, hasAksi: !aksiRows.isEmpty,
            completeness: format.percent(summary?.completeness, maximumFractionDigits: 0),
            onTime: format.percent(summary?.onTimeRate, maximumFractionDigits: 0),
            returns: summary?.returns ?? 0,
            medianDays: summary?.medianDaysToVerify.map { format.number($0, maximumFractionDigits: 1) } ?? "–",
            hasScores: rows.contains { $0.scope != .national },
            casesLine: cases.forwarded > 0
                ? request.t("scorecard.cases", String(cases.forwarded), String(cases.answered), String(cases.late))
                : nil,
            casesLate: cases.late,
            inputsLine: request.t(
                "input.counts", String(discipline?.inputsUsulan ?? 0), String(discipline?.inputsPertanyaan ?? 0)),
            csvURL: SiteURL.scorecardCSV(
                instansiID, query: [(CycleLookup.queryParameter, cycle.code), ("triwulan", String(triwulan))]))
    }

    /// The scorecard's numbers as CSV rows: per triwulan, then per aksi at the chosen triwulan.
    var csvRows: [[String]] {
        let percent = CSVDownload.percent
        return [["bagian", "nama", "terverifikasi_persen", "klaim_instansi_persen"]]
            + self.series.map { ["triwulan", $0.label, percent($0.verified), percent($0.selfReported)] }
            + self.aksi.map { ["aksi", $0.label, percent($0.verified), percent($0.selfReported)] }
    }
}
