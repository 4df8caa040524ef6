import Foundation
import StranasCore
import Vapor

/// The print view of a published triwulan report (A4, the letterhead, the executive summary first, then every table),
/// which is also what the PDF frozen with the report is printed from. Numbers are the frozen JSON's, written as the
/// reader writes them.
struct ResultReportPrint: Encodable {
    struct Score: Encodable {
        let code: String
        let name: String
        let verified: String
        let claimed: String
    }

    struct Ranked: Encodable {
        let rank: Int
        let instansi: String
        let verified: String
        let claimed: String
    }

    struct RankingSummary: Encodable {
        let heading: String
        let top: [Ranked]
        let bottom: [Ranked]
        let hasBottom: Bool
        let all: [Ranked]
    }

    struct Discipline: Encodable {
        let rank: Int
        let instansi: String
        let completeness: String
        let onTime: String
        let returns: Int
        let medianDays: String
    }

    let language: String
    let title: String
    let cycleName: String
    let asOf: String
    let publishedOn: String
    let publishedBy: String
    let sha256: String
    let provenance: String?
    let earlyReason: String?
    let portalURL: String
    /// For the PDF: the stylesheet itself, since the renderer fetches nothing. In a browser the page links it.
    let inlineStyle: String?
    let pageURL: String
    let national: Score?
    /// The national score at the end of each triwulan so far, named as people say it ("TW I 2021").
    let series: [Score]
    let fokus: [Score]
    let aksi: [Score]
    let rankings: [RankingSummary]
    let disciplineSummary: String
    let discipline: [Discipline]
    let hasDiscipline: Bool

    /// How many of the best and of the lowest-scoring instansi of each kind the summary names.
    static let summaryCount = 3

    init(
        report: ResultReport, cycle: Cycle, triwulan: Int, publishedAt: Date, publishedBy: String, sha256: String,
        earlyReason: String?, inlineStyle: String?, request: Request
    ) {
        let format = request.displayFormat
        func percent(_ text: String?) -> String {
            text.flatMap(Double.init).map { format.percent($0 / 100) } ?? "–"
        }
        func score(_ score: ResultReport.Score) -> Score {
            Score(
                code: score.code, name: score.name, verified: percent(score.verified), claimed: percent(score.claimed))
        }
        self.language = request.language.rawValue
        self.title = ResultReportController.title(triwulan: triwulan, startYear: cycle.startYear, request: request)
        self.cycleName = cycle.name
        self.asOf = request.t("results.as_of", format.date(Self.endOfTriwulan(triwulan, startYear: cycle.startYear)))
        self.publishedOn = format.timestamp(publishedAt)
        self.publishedBy = AuditLogController.nameOnly(publishedBy)
        self.sha256 = sha256
        self.provenance = report.provenance
        self.earlyReason = earlyReason
        self.portalURL = request.application.config.publicURL
        self.inlineStyle = inlineStyle
        self.pageURL = request.application.config.publicURL + SiteURL.resultReport(cycle.code, triwulan)
        self.national = report.national.last.map(score)
        self.series = report.national.enumerated().map { index, line in
            Score(
                code: line.code, name: request.triwulanLabel(number: index + 1, startYear: cycle.startYear),
                verified: percent(line.verified), claimed: percent(line.claimed))
        }
        self.fokus = report.fokus.map(score)
        self.aksi = report.aksi.map(score)
        self.rankings = InstansiKind.allCases.map { kind in
            let lines = report.rankings.filter { $0.kind == kind.rawValue }.map {
                Ranked(
                    rank: $0.rank, instansi: $0.instansi, verified: percent($0.verified), claimed: percent($0.claimed))
            }
            let scored = report.rankings.filter { $0.kind == kind.rawValue && $0.verified != nil }.count
            let top = Array(lines.prefix(min(Self.summaryCount, scored)))
            let bottom = Array(lines.prefix(scored).suffix(min(Self.summaryCount, max(0, scored - top.count))))
            return RankingSummary(
                heading: request.t("dashboard.ranking", request.label(kind)), top: top, bottom: bottom,
                hasBottom: !bottom.isEmpty, all: lines)
        }
        let complete = report.discipline.filter { $0.completeness.flatMap(Double.init) == 100 }.count
        let onTime = report.discipline.filter { $0.onTime.flatMap(Double.init) == 100 }.count
        self.disciplineSummary = request.t(
            "results.print.discipline_summary", String(complete), String(report.discipline.count), String(onTime))
        self.discipline = report.discipline.map {
            Discipline(
                rank: $0.rank, instansi: $0.instansi, completeness: percent($0.completeness),
                onTime: percent($0.onTime),
                returns: $0.returns,
                medianDays: $0.medianDays.flatMap(Double.init).map { format.number($0, maximumFractionDigits: 1) }
                    ?? "–")
        }
        self.hasDiscipline = !report.discipline.isEmpty
    }

    /// The last day of a cycle's triwulan: the day its numbers stand at.
    static func endOfTriwulan(_ triwulan: Int, startYear: Int) -> CalendarDate {
        let schedule = ReportingCalendar.defaultSchedule(startYear: startYear)
        return schedule[max(0, min(schedule.count - 1, triwulan - 1))].endsOn
    }

    /// The print view as one self-contained page, its stylesheet inline: what the PDF renderer is given. Always in
    /// Bahasa Indonesia, the language of the official record, whatever the publisher reads the portal in.
    static func standaloneHTML(
        report: ResultReport, cycle: Cycle, triwulan: Int, publishedAt: Date, publishedBy: String, sha256: String,
        earlyReason: String?, request: Request
    ) async throws -> String {
        let stylesheet = URL(fileURLWithPath: request.application.directory.publicDirectory)
            .appendingPathComponent("css/report-print.css")
        let style = try String(contentsOf: stylesheet, encoding: .utf8)
        request.cookies[Request.languageCookie] = HTTPCookies.Value(string: Language.id.rawValue)
        let page = ResultReportPrint(
            report: report, cycle: cycle, triwulan: triwulan, publishedAt: publishedAt, publishedBy: publishedBy,
            sha256: sha256, earlyReason: earlyReason, inlineStyle: style, request: request)
        let view = try await request.view.render("results-print", page)
        return String(buffer: view.data)
    }
}
