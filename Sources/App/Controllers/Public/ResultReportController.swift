import Fluent
import StranasCore
import Vapor

/// Published triwulan results (Laporan Capaian Triwulan): Admin Setnas publishes a triwulan's numbers as a frozen
/// snapshot with the SHA-256 of its canonical JSON; the public reads the list, each report at a stable URL (printable
/// to A4), and the JSON whose hash is shown.
struct ResultReportController: RouteCollection {
    var audience = RouteAudience.publicPages

    func boot(routes: any RoutesBuilder) throws {
        switch self.audience {
        case .publicPages:
            routes.get(SiteURL.resultReports, use: self.list).knowing(query: [CycleLookup.queryParameter])
            routes.get(SiteURL.resultReport, use: self.show).knowing(query: [])
            routes.get(SiteURL.resultReportJSON, use: self.json).knowing(query: [])
        case .setnas:
            routes.requiring(.administerPlan).post(SiteURL.resultsPublish, use: self.publish)
        }
    }

    /// "Laporan Capaian Triwulan I Tahun 2022".
    static func title(triwulan: Int, startYear: Int, request: Request) -> String {
        let quarter = (triwulan - 1) % 4 + 1
        return request.t(
            "results.report_title", ["I", "II", "III", "IV"][quarter - 1], String(startYear + (triwulan - 1) / 4))
    }

    // MARK: - Publishing

    @Sendable func publish(request: Request) async throws -> Response {
        let cycle = try await CycleAdminController.cycle(request)
        guard let triwulan = request.parameters.get("triwulan", as: Int.self),
            (1...ReportingCalendar.triwulanPerCycle).contains(triwulan)
        else { throw PageError.notFound() }
        guard cycle.isPublished else {
            throw PageError(status: .conflict, messageKey: "results.error.draft", arguments: [cycle.code])
        }
        let row = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$number == triwulan).first()
        guard let row, row.endsOn < request.application.clock.today.iso else {
            throw PageError(status: .conflict, messageKey: "results.error.not_ended", arguments: [])
        }
        if try await ResultSnapshot.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$triwulan == triwulan).first() != nil
        {
            throw PageError(status: .conflict, messageKey: "results.error.published", arguments: [])
        }
        _ = try request.requireSignedIn()
        let numbers = try await ResultNumbers.read(
            cycle: cycle, triwulan: triwulan, on: request.db, today: request.application.clock.today)
        let content = try ResultReport(numbers).canonicalJSON()
        _ = try await request.cycleDesk.publishResults(
            of: cycle, triwulan: triwulan, content: String(decoding: content, as: UTF8.self),
            sha256: BlobStore.sha256(content),
            title: Self.title(triwulan: triwulan, startYear: cycle.startYear, request: request))
        return request.redirect(to: SiteURL.resultReport(cycle.code, triwulan))
    }

    // MARK: - Reading

    struct ListRow: Encodable {
        let title: String
        let url: String
        let publishedOn: String
        let sha256: String
    }

    struct ListPage: Encodable {
        let page: PageContext
        let rows: [ListRow]
        let hasRows: Bool
    }

    @Sendable func list(request: Request) async throws -> View {
        let snapshots = try await ResultSnapshot.query(on: request.db).with(\.$cycle).sort(\.$publishedAt, .descending)
            .all()
        let rows = snapshots.map {
            ListRow(
                title: Self.title(triwulan: $0.triwulan, startYear: $0.cycle.startYear, request: request),
                url: SiteURL.resultReport($0.cycle.code, $0.triwulan),
                publishedOn: request.displayFormat.timestamp($0.publishedAt), sha256: $0.sha256)
        }
        return try await request.view.render(
            "results-list",
            ListPage(
                page: PageContext(request: request, title: request.t("results.list_title"), cycle: nil), rows: rows,
                hasRows: !rows.isEmpty))
    }

    private func snapshot(_ request: Request) async throws -> (ResultSnapshot, Cycle) {
        guard let code = request.parameters.get("kode"),
            let triwulan = request.parameters.get("triwulan", as: Int.self),
            let cycle = try await Cycle.find(code: code, on: request.db),
            let snapshot = try await ResultSnapshot.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$triwulan == triwulan).first()
        else { throw PageError.notFound("results.error.not_found") }
        return (snapshot, cycle)
    }

    struct ReportPage: Encodable {
        let page: PageContext
        let title: String
        let cycleName: String
        let month: String
        let publishedOn: String
        let publishedBy: String
        let sha256: String
        let jsonURL: String
        let national: ResultReport.Score?
        let series: [ResultReport.Score]
        let fokus: [ResultReport.Score]
        let aksi: [ResultReport.Score]
        let rankings: [RankingGroup]
        let discipline: [ResultReport.DisciplineEntry]
        let hasDiscipline: Bool
    }

    struct RankingGroup: Encodable {
        let heading: String
        let lines: [ResultReport.Ranked]
    }

    @Sendable func show(request: Request) async throws -> View {
        let (snapshot, cycle) = try await self.snapshot(request)
        let report = try JSONDecoder().decode(ResultReport.self, from: Data(snapshot.content.utf8))
        let title = Self.title(triwulan: snapshot.triwulan, startYear: cycle.startYear, request: request)
        let page = ReportPage(
            page: PageContext(request: request, title: title, cycle: nil), title: title, cycleName: cycle.name,
            month: report.month, publishedOn: request.displayFormat.timestamp(snapshot.publishedAt),
            publishedBy: AuditLogController.nameOnly(snapshot.publishedBy), sha256: snapshot.sha256,
            jsonURL: SiteURL.resultReportJSON(cycle.code, snapshot.triwulan),
            national: report.national.last, series: report.national, fokus: report.fokus, aksi: report.aksi,
            rankings: InstansiKind.allCases.map { kind in
                RankingGroup(
                    heading: request.t("dashboard.ranking", request.label(kind)),
                    lines: report.rankings.filter { $0.kind == kind.rawValue })
            },
            discipline: report.discipline, hasDiscipline: !report.discipline.isEmpty)
        return try await request.view.render("results-report", page)
    }

    /// The canonical JSON, byte for byte what the shown SHA-256 was computed over.
    @Sendable func json(request: Request) async throws -> Response {
        let (snapshot, cycle) = try await self.snapshot(request)
        let response = Response(status: .ok, body: .init(string: snapshot.content))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"laporan-capaian-\(cycle.code)-tw\(snapshot.triwulan).json\"")
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(snapshot.sha256)\"")
        return response
    }
}
