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

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.dashboard, use: self.show).knowing(query: [CycleLookup.queryParameter, "triwulan", "semua"])
        routes.get(SiteURL.dashboardCSV, use: self.csv).knowing(query: [
            CycleLookup.queryParameter, "triwulan", "tabel",
        ])
    }

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
    }

    /// The triwulan a page shows: the one asked for, else the latest with reported results (a claim has reached
    /// Setnas) that has ended. The first days after a triwulan ends, its scores would be all zeros.
    static func triwulan(for cycle: Cycle, request: Request) async throws -> Int {
        if let requested = try self.requestedTriwulan(request) { return requested }
        let reported = try await ScoreRow.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$scope == .national).filter(\.$voice == .selfReported).filter(\.$score > 0)
            .sort(\.$triwulan, .descending).first()
        return ReportingCalendar.publicTriwulan(
            startYear: cycle.startYear, latestReported: reported?.triwulan, today: request.application.clock.today)
    }

    /// The `triwulan` query parameter, when there is one; a number outside the cycle is a 400 page.
    static func requestedTriwulan(_ request: Request) throws -> Int? {
        guard let number = try? request.query.get(Int.self, at: "triwulan") else { return nil }
        guard (1...ReportingCalendar.triwulanPerCycle).contains(number) else {
            throw PageError.badRequest("error.unknown_triwulan", String(number))
        }
        return number
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

    private struct ScoreValue: Decodable {
        let triwulan: Int
        let voice: String
        let scope: String
        let subjectID: Int
        let score: Double

        enum CodingKeys: String, CodingKey {
            case triwulan, voice, scope, score
            case subjectID = "subject_id"
        }
    }

    static func numbers(cycle: Cycle, triwulan: Int, request: Request) async throws -> Numbers {
        let cycleID = try cycle.requireID()
        let aksi = try await Aksi.query(on: request.db).filter(\.$cycle.$id == cycleID).with(\.$fokus).sort(\.$number)
            .all()
        // Hundreds of rows each at national scale: read as plain rows, without model overhead.
        let sql = request.db as! any SQLDatabase
        let instansi = try await sql.raw("SELECT id, name, kind, iso_code FROM instansi")
            .all(decoding: InstansiRow.self)
        let scores = try await sql.raw(
            """
            SELECT triwulan, voice, scope, subject_id, score FROM scores
            WHERE cycle_id = \(bind: cycleID) AND (scope = 'national'
                OR (triwulan = \(bind: triwulan) AND scope IN ('fokus', 'aksi', 'instansi')))
            """
        ).all(decoding: ScoreValue.self)
        let discipline = try await DisciplineRow.query(on: request.db).filter(\.$cycle.$id == cycleID)
            .filter(\.$scope == .instansi).all()

        var value: [ScoreBook.Key: Double] = [:]
        for row in scores {
            guard let voice = Scoring.Voice(rawValue: row.voice), let scope = ScoreRow.Scope(rawValue: row.scope) else {
                continue
            }
            value[.init(triwulan: row.triwulan, voice: voice, scope: scope, subjectID: row.subjectID, aksiID: 0)] =
                row.score
        }
        func pair(_ scope: ScoreRow.Scope, _ id: Int, at number: Int = triwulan) -> (Double?, Double?) {
            (
                value[.init(triwulan: number, voice: .verified, scope: scope, subjectID: id, aksiID: 0)],
                value[.init(triwulan: number, voice: .selfReported, scope: scope, subjectID: id, aksiID: 0)]
            )
        }
        // Triwulan that have not ended yet have no score to show, only an empty place on the time axis.
        let today = request.application.clock.today.iso
        let ended = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycleID).filter(\.$endsOn < today)
            .count()
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
                    ($0.verified ?? -1, $0.selfReported ?? -1, $1.name) > (
                        $1.verified ?? -1, $1.selfReported ?? -1, $0.name
                    )
                }
                .enumerated().map { index, line in
                    ScoreLine(
                        rank: index + 1, link: line.link, code: nil, name: line.name, verified: line.verified,
                        selfReported: line.selfReported)
                }
            return (kind, lines)
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
                ($0.completeness ?? -1, $0.onTime ?? -1, -$0.returns, $1.name)
                    > ($1.completeness ?? -1, $1.onTime ?? -1, -$1.returns, $0.name)
            }
            .enumerated().map { index, line in
                DisciplineLine(
                    rank: index + 1, instansiID: line.instansiID, name: line.name, completeness: line.completeness,
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
            discipline: disciplineLines, provinces: provinces)
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
        let month: String
        let national: ScoreLine
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
        let triwulan = try await Self.triwulan(for: cycle, request: request)
        let numbers = try await Self.numbers(cycle: cycle, triwulan: triwulan, request: request)
        let format = request.displayFormat
        let bands = ScoreBands.standard
        func shown(_ line: ScoreLine) -> ScoreLine {
            var line = line
            line.verifiedText = format.percent(line.verified)
            line.selfText = format.percent(line.selfReported)
            line.band = bands.name(of: line.verified)
            return line
        }
        let showAll = (try? request.query.get(String.self, at: "semua")) != nil
        let label = request.triwulanLabel(number: triwulan, startYear: cycle.startYear)
        let chart = LineChart(
            title: request.t("dashboard.chart_title", cycle.code),
            xLabels: numbers.series.map { $0.code ?? "" },
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
            cycleCode: cycle.code, triwulanLabel: label, month: ReportingCalendar.monthCode(ofTriwulan: triwulan),
            national: shown(numbers.series[triwulan - 1]), chart: chart.svg,
            tileMap: ProvinceTileMap(
                title: request.t("dashboard.map_title", label),
                tiles: numbers.provinces.map { province in
                    ProvinceTileMap.Tile(
                        isoCode: province.isoCode, name: province.name,
                        link: SiteURL.instansi(province.id, query: [(CycleLookup.queryParameter, cycle.code)]),
                        bandClass: "band--" + bands.name(of: province.verified),
                        label: format.percent(province.verified, maximumFractionDigits: 0))
                }
            ).svg,
            series: numbers.series.map(shown),
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
        let triwulan = try await Self.triwulan(for: cycle, request: request)
        let numbers = try await Self.numbers(cycle: cycle, triwulan: triwulan, request: request)
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
