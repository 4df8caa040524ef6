import Fluent
import StranasCore
import Vapor

/// Published triwulan results (Laporan Capaian Triwulan), frozen by `ResultPublishingController` with the SHA-256 of
/// their canonical JSON and of their PDF: the public reads the list, each report at a stable URL, its print view on
/// A4, the PDF printed from it at publication, and the JSON.
struct ResultReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.resultReports, use: self.list).knowing(query: [CycleLookup.queryParameter])
        routes.get(SiteURL.resultReport, use: self.show).knowing(query: [])
        routes.get(SiteURL.resultReportJSON, use: self.json).knowing(query: [])
        routes.get(SiteURL.resultReportPrint, use: self.print).knowing(query: [])
        routes.get(SiteURL.resultReportPDF, use: self.pdf).knowing(query: [])
    }

    /// "Laporan Capaian Triwulan I Tahun 2022", in the reader's language.
    static func title(triwulan: Int, startYear: Int, request: Request) -> String {
        self.title(triwulan: triwulan, startYear: startYear, in: request.language, request.application.locales)
    }

    /// The title in `language`: the change log records it in Bahasa Indonesia.
    static func title(triwulan: Int, startYear: Int, in language: Language, _ catalog: LocaleCatalog) -> String {
        let quarter = (triwulan - 1) % 4 + 1
        return catalog.text(
            "results.report_title", language,
            [["I", "II", "III", "IV"][quarter - 1], String(startYear + (triwulan - 1) / 4)])
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
        /// The moment the numbers describe: "akhir Maret 2021 (TW I)".
        let moment: String
        let publishedOn: String
        let publishedBy: String
        let sha256: String
        let jsonURL: String
        let printURL: String
        let pdfURL: String?
        let pdfSHA256: String?
        let earlyReason: String?
        /// The frozen numbers as the reader writes them: the print view's, so that the two pages agree.
        let shown: ResultReportPrint
    }

    @Sendable func show(request: Request) async throws -> View {
        let (snapshot, cycle) = try await self.snapshot(request)
        let report = try JSONDecoder().decode(ResultReport.self, from: Data(snapshot.content.utf8))
        let title = Self.title(triwulan: snapshot.triwulan, startYear: cycle.startYear, request: request)
        let page = ReportPage(
            // The cycle's context brings its demo notice, when its plan is demo data.
            page: PageContext(request: request, title: title, cycle: cycle), title: title, cycleName: cycle.name,
            moment: request.triwulanEnd(number: snapshot.triwulan, startYear: cycle.startYear),
            publishedOn: request.displayFormat.timestamp(snapshot.publishedAt),
            publishedBy: AuditLogController.nameOnly(snapshot.publishedBy), sha256: snapshot.sha256,
            jsonURL: SiteURL.resultReportJSON(cycle.code, snapshot.triwulan),
            printURL: SiteURL.resultReportPrint(cycle.code, snapshot.triwulan),
            pdfURL: snapshot.pdfSHA256.map { _ in SiteURL.resultReportPDF(cycle.code, snapshot.triwulan) },
            pdfSHA256: snapshot.pdfSHA256, earlyReason: snapshot.earlyReason,
            shown: ResultReportPrint(
                report: report, cycle: cycle, triwulan: snapshot.triwulan, publishedAt: snapshot.publishedAt,
                publishedBy: snapshot.publishedBy, sha256: snapshot.sha256, earlyReason: snapshot.earlyReason,
                inlineStyle: nil, request: request))
        return try await request.view.render("results-report", page)
    }

    /// The canonical JSON, byte for byte what the shown SHA-256 was computed over.
    @Sendable func json(request: Request) async throws -> Response {
        let (snapshot, cycle) = try await self.snapshot(request)
        return Self.download(
            Data(snapshot.content.utf8), type: .json,
            named: "laporan-capaian-\(cycle.code)-tw\(snapshot.triwulan).json",
            sha256: snapshot.sha256)
    }

    /// A frozen file as a download under its name, its SHA-256 as its ETag.
    private static func download(_ data: Data, type: HTTPMediaType, named name: String, sha256: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(sha256)\"")
        return response
    }

    /// The report on A4, to print from the browser: the same page the PDF was printed from.
    @Sendable func print(request: Request) async throws -> View {
        let (snapshot, cycle) = try await self.snapshot(request)
        let report = try JSONDecoder().decode(ResultReport.self, from: Data(snapshot.content.utf8))
        return try await request.view.render(
            "results-print",
            ResultReportPrint(
                report: report, cycle: cycle, triwulan: snapshot.triwulan, publishedAt: snapshot.publishedAt,
                publishedBy: snapshot.publishedBy, sha256: snapshot.sha256, earlyReason: snapshot.earlyReason,
                inlineStyle: nil, request: request))
    }

    /// The PDF printed at publication, byte for byte what its recorded SHA-256 was computed over.
    @Sendable func pdf(request: Request) async throws -> Response {
        let (snapshot, cycle) = try await self.snapshot(request)
        guard let sha256 = snapshot.pdfSHA256, let pdf = try request.application.blobStore.read(sha256) else {
            throw PageError.notFound("results.error.no_pdf")
        }
        return Self.download(
            pdf, type: .pdf, named: "laporan-capaian-\(cycle.code)-tw\(snapshot.triwulan).pdf", sha256: sha256)
    }
}
