import Fluent
import SQLKit
import StranasCore
import Vapor

/// `/dasbor`: the national dashboard of a cycle at the end of one triwulan: the national score over time against
/// the ideal, each fokus and aksi with its band, rankings of K/L, provinsi and kab/kota in both voices, and the
/// reporting-discipline league table. It reads the maintained `scores` and `discipline` rows and computes nothing;
/// every table downloads as CSV (`/dasbor/data.csv?tabel=...`) with exactly the numbers shown.
struct DashboardController: RouteCollection {
    static let rankingShown = 10
    typealias ScoreLine = ResultNumbers.ScoreLine
    typealias DisciplineLine = ResultNumbers.DisciplineLine

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.dashboard, use: self.show).knowing(query: [CycleLookup.queryParameter, "triwulan", "semua"])
        routes.get(SiteURL.dashboardCSV, use: self.csv).knowing(query: [
            CycleLookup.queryParameter, "triwulan", "tabel",
        ])
    }

    // MARK: - The page

    struct Ranking: Encodable {
        let heading: String
        let kind: String
        let lines: [ScoreLine]
        let total: Int
        let isCut: Bool
    }

    struct DashboardPage: Encodable {
        let page: PageContext
        let cycleCode: String
        let triwulanLabel: String
        /// The moment the numbers describe, as people say it: "akhir Maret 2021 (TW I)".
        let moment: String
        let national: ScoreLine
        /// Before the triwulan's deadline, under its score: "Belum jatuh tempo: batas waktu pelaporannya 15 April
        /// 2021…".
        let notDue: String?
        let methodURL: String
        let chart: String
        let tileMap: String
        let series: [ScoreLine]
        let fokus: [ScoreLine]
        let aksi: [ScoreLine]
        let rankings: [Ranking]
        let discipline: [DisciplineLine]
        let hasDiscipline: Bool
        let triwulanOptions: [SelectOption]
        let showAll: Bool
        let nonPublic: NonPublicDetail?
        let allURL: String
        let csvBase: String
    }

    @Sendable func show(request: Request) async throws -> View {
        let cycle = try await CycleLookup.cycle(for: request)
        let triwulan = try await request.publicTriwulan(of: cycle)
        request.shows(.nation)
        let numbers = try await ResultNumbers.read(
            cycle: cycle, triwulan: triwulan, on: request.db, today: request.application.clock.today)
        let format = request.displayFormat
        let bands = ScoreBands.standard
        let today = request.application.clock.today
        let isDue = numbers.deadlines.isDue(triwulan, today: today)
        // Before the deadline the scores are real but partial: shown without a band's colour.
        func shown(_ line: ScoreLine) -> ScoreLine {
            var line = line
            line.verifiedText = format.percent(line.verified)
            line.selfText = format.percent(line.selfReported)
            line.band = isDue ? bands.name(of: line.verified) : "none"
            line.bar = Int(((line.verified ?? 0) * 100).rounded())
            return line
        }
        let series = numbers.series.map { line in
            let number = line.rank
            var row = ScoreLine(
                rank: number, link: nil, code: line.code,
                name: request.triwulanLabel(number: number, startYear: cycle.startYear), verified: line.verified,
                selfReported: line.selfReported)
            let isDue = numbers.deadlines.isDue(number, today: today)
            if !isDue && line.verified == nil && line.selfReported == nil {
                row.verifiedText = request.t("score.not_due")
                row.selfText = row.verifiedText
            } else {
                row.verifiedText = format.percent(line.verified)
                row.selfText = format.percent(line.selfReported)
                row.band = isDue ? bands.name(of: line.verified) : "none"
            }
            return row
        }
        let showAll = (try? request.query.get(String.self, at: "semua")) != nil
        let label = request.triwulanLabel(number: triwulan, startYear: cycle.startYear)
        let chart = LineChart(
            title: request.t("dashboard.chart_title", cycle.code),
            xLabels: series.map(\.name),
            series: [
                .init(
                    label: request.t("dashboard.ideal"), className: "chart__line--ideal",
                    values: Array(repeating: 1, count: numbers.series.count)),
                .init(
                    label: request.t("dashboard.self_reported"), className: "chart__line--self",
                    values: numbers.series.map(\.selfReported)),
                .init(
                    label: request.t("dashboard.verified"), className: "chart__line--verified",
                    values: numbers.series.map(\.verified)),
            ])
        let page = DashboardPage(
            page: PageContext(request: request, title: request.t("dashboard.title", cycle.code), cycle: cycle),
            cycleCode: cycle.code, triwulanLabel: label,
            moment: request.triwulanEnd(number: triwulan, startYear: cycle.startYear),
            national: series[triwulan - 1],
            notDue: isDue
                ? nil
                : request.t("score.not_due_until", numbers.deadlines.dueOn[triwulan].map(format.date) ?? label),
            methodURL: SiteURL.method(),
            chart: chart.svg,
            tileMap: ProvinceTileMap(
                title: request.t("dashboard.map_title", label),
                tiles: numbers.provinces.map { province in
                    ProvinceTileMap.Tile(
                        isoCode: province.isoCode, name: province.name,
                        link: SiteURL.instansi(province.id, query: [(CycleLookup.queryParameter, cycle.code)]),
                        bandClass: "band--" + (isDue ? bands.name(of: province.verified) : "none"),
                        label: format.percent(province.verified, maximumFractionDigits: 0))
                }
            ).svg,
            series: series,
            fokus: numbers.fokus.map(shown), aksi: numbers.aksi.map(shown),
            rankings: numbers.rankings.map { kind, lines in
                Ranking(
                    heading: request.t("dashboard.ranking", request.label(kind)), kind: kind.rawValue,
                    lines: (showAll ? lines : Array(lines.prefix(Self.rankingShown))).map(shown), total: lines.count,
                    isCut: !showAll && lines.count > Self.rankingShown)
            },
            discipline: (showAll ? numbers.discipline : Array(numbers.discipline.prefix(15))).map { line in
                var line = line
                line.completenessText = format.percent(line.completeness, maximumFractionDigits: 0)
                line.onTimeText = format.percent(line.onTime, maximumFractionDigits: 0)
                line.medianDaysText = line.medianDays.map { format.number($0, maximumFractionDigits: 1) } ?? "–"
                return line
            },
            hasDiscipline: !numbers.discipline.isEmpty,
            triwulanOptions: (1...ReportingCalendar.triwulanPerCycle).map {
                SelectOption(
                    value: String($0), label: request.triwulanLabel(number: $0, startYear: cycle.startYear),
                    selected: $0 == triwulan)
            },
            showAll: showAll,
            nonPublic: request.signedInUser?.permissions.contains(.viewNonPublicMonitoring) == true
                ? try await NonPublicDetail.load(cycle: cycle, triwulan: triwulan, request: request) : nil,
            allURL: SiteURL.dashboard(
                query: [(CycleLookup.queryParameter, cycle.code), ("triwulan", String(triwulan)), ("semua", "1")],
                fragment: "peringkat"),
            csvBase: SiteURL.dashboardCSV(query: [
                (CycleLookup.queryParameter, cycle.code), ("triwulan", String(triwulan)),
            ]))
        return try await request.view.render("dashboard", page)
    }

    // MARK: - CSV

    /// `tabel` = `nasional`, `fokus`, `aksi`, `peringkat` or `disiplin`: the numbers of that table, as shown (scores
    /// in percent with up to two decimals, with a decimal point).
    @Sendable func csv(request: Request) async throws -> Response {
        let cycle = try await CycleLookup.cycle(for: request)
        let triwulan = try await request.publicTriwulan(of: cycle)
        request.shows(.nation)
        let numbers = try await ResultNumbers.read(
            cycle: cycle, triwulan: triwulan, on: request.db, today: request.application.clock.today)
        let percent = CSVDownload.percent
        let table = (try? request.query.get(String.self, at: "tabel")) ?? "nasional"
        var rows: [[String]]
        switch table {
        case "nasional":
            rows = [["bulan", "triwulan", "terverifikasi_persen", "klaim_instansi_persen"]]
            rows += numbers.series.map {
                [$0.code ?? "", String($0.rank), percent($0.verified), percent($0.selfReported)]
            }
        case "fokus", "aksi":
            rows = [["kode", "nama", "terverifikasi_persen", "klaim_instansi_persen"]]
            rows += (table == "fokus" ? numbers.fokus : numbers.aksi).map {
                [$0.code ?? "", $0.name, percent($0.verified), percent($0.selfReported)]
            }
        case "peringkat":
            rows = [["jenis", "peringkat", "instansi", "terverifikasi_persen", "klaim_instansi_persen"]]
            for (kind, lines) in numbers.rankings {
                rows += lines.map {
                    [kind.rawValue, String($0.rank), $0.name, percent($0.verified), percent($0.selfReported)]
                }
            }
        case "disiplin":
            rows = [
                [
                    "peringkat", "instansi", "kelengkapan_persen", "tepat_waktu_persen", "dikembalikan",
                    "median_hari_verifikasi",
                ]
            ]
            rows += numbers.discipline.map {
                [
                    String($0.rank), $0.name, percent($0.completeness), percent($0.onTime), String($0.returns),
                    $0.medianDays.map { PlanFile.format(($0 * 10).rounded() / 10) } ?? "",
                ]
            }
        default:
            throw PageError.badRequest("error.unknown_table", String(table.prefix(40)))
        }
        return CSVDownload.response(rows, fileName: "dasbor-\(cycle.code)-tw\(triwulan)-\(table).csv")
    }
}

/// What Setnas, verifikator and Timnas see on the dashboard besides the public numbers: claims still waiting for
/// verification and lines returned with their reasons.
struct NonPublicDetail: Encodable {
    struct Line: Encodable {
        let link: String
        let instansi: String
        let indicator: String
        let claimed: String
        let note: String?
        let since: String
    }

    let waitingCount: Int
    let waiting: [Line]
    let returnedCount: Int
    let returned: [Line]

    static let shown = 20

    static func load(cycle: Cycle, triwulan: Int, request: Request) async throws -> NonPublicDetail {
        func lines(_ state: ReportState, oldestFirst: Bool) -> QueryBuilder<ReportLine> {
            ReportLine.query(on: request.db).filter(\.$state == state)
                .join(Target.self, on: \ReportLine.$target.$id == \Target.$id)
                .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
                .filter(Triwulan.self, \.$cycle.$id == cycle.id!).filter(Triwulan.self, \.$number == triwulan)
                .sort(\.$updatedAt, oldestFirst ? .ascending : .descending)
        }
        let format = request.displayFormat
        func rows(_ found: [ReportLine]) -> [Line] {
            found.map {
                Line(
                    link: SiteURL.reportLine($0.$target.id), instansi: $0.target.instansi.name,
                    indicator: $0.target.indicator.code, claimed: $0.capaian.map { format.number($0) } ?? "–",
                    note: $0.verificationNote, since: format.timestamp($0.updatedAt))
            }
        }
        let waiting = try await lines(.submitted, oldestFirst: true).limit(Self.shown)
            .with(\.$target) { $0.with(\.$instansi).with(\.$indicator) }.all()
        let returned = try await lines(.returned, oldestFirst: false).limit(Self.shown)
            .with(\.$target) { $0.with(\.$instansi).with(\.$indicator) }.all()
        return NonPublicDetail(
            waitingCount: try await lines(.submitted, oldestFirst: true).count(), waiting: rows(waiting),
            returnedCount: try await lines(.returned, oldestFirst: false).count(), returned: rows(returned))
    }
}
