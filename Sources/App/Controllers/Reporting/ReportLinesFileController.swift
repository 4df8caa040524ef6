import Fluent
import StranasCore
import Vapor

/// `/laporan/baris.csv` and `/laporan/unggah`: an instansi's open lines of a triwulan as a spreadsheet, and the filled
/// spreadsheet uploaded back: checked, previewed line by line, then applied all or nothing.
struct ReportLinesFileController: RouteCollection {
    /// A whole file, with room for the form around it.
    static let bodyLimit = ReportLinesFile.maximumBytes + 64 * 1024

    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewInstansiReport).get(SiteURL.reportLinesFile, use: self.download)
        let filling = routes.requiring(.fillReportLines)
        filling.on(
            .POST, SiteURL.reportLinesUpload, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)),
            use: self.upload
        ).acceptingUploads(upTo: Self.bodyLimit)
        filling.get(SiteURL.reportLinesImport, use: self.preview)
        filling.post(SiteURL.reportLinesImport, use: self.apply)
    }

    /// Whose lines of which triwulan a request speaks of.
    struct Scope {
        let instansi: Instansi
        let triwulan: Triwulan
        let cycle: Cycle

        /// The query that names the triwulan on `/laporan` and here.
        var query: String { "periode=\(self.cycle.code)&triwulan=\(self.triwulan.number)" }

        func importer(_ request: Request) throws -> ReportLinesImport {
            ReportLinesImport(request: request, instansiID: try self.instansi.requireID(), triwulan: self.triwulan)
        }
    }

    /// The signed-in person's instansi, and the triwulan as `/laporan` chooses it.
    private func scope(_ request: Request) async throws -> Scope {
        let user = try request.requireSignedIn()
        guard let instansiID = user.instansiID, let instansi = try await Instansi.find(instansiID, on: request.db)
        else { throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: []) }
        let cycle = try await CycleLookup.cycle(for: request)
        return Scope(
            instansi: instansi, triwulan: try await InstansiReportController.triwulan(of: cycle, request: request),
            cycle: cycle)
    }

    // MARK: - Download

    @Sendable func download(request: Request) async throws -> Response {
        let scope = try await self.scope(request)
        let text = ReportLinesFile.write(try await scope.importer(request).openLines())
        return CSVDownload.response(
            text: text,
            fileName: "laporan-\(try scope.instansi.requireID())-\(scope.cycle.code)-tw\(scope.triwulan.number).csv")
    }

    // MARK: - Upload, preview, apply

    struct ChangeRow: Encodable {
        let targetID: Int
        let indicatorCode: String
        let description: String
        let action: String
        let changes: [String]
    }

    struct ImportPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let instansiName: String
        let triwulanLabel: String
        let reportURL: String
        let uploadURL: String
        let downloadURL: String
        let fileName: String?
        let problems: [String]
        let hasProblems: Bool
        let rows: [ChangeRow]
        let summary: String?
        let applyURL: String?
    }

    private func render(
        _ request: Request, _ scope: Scope, fileName: String? = nil, problems: [String] = [],
        plan: ReportLinesImport.Plan? = nil, applyURL: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let label = request.triwulanLabel(number: scope.triwulan.number, startYear: scope.cycle.startYear)
        let format = request.displayFormat
        let rows = (plan?.changes ?? []).map { change in
            ChangeRow(
                targetID: change.subject.targetID, indicatorCode: change.subject.indicator.code,
                description: change.subject.indicator.description,
                action: request.t("report.action.\(change.action.rawValue)"),
                changes: change.changedFields.map { field in
                    field == .capaian
                        ? request.t(
                            "reportfile.capaian_change", change.subject.line?.capaian.map { format.number($0) } ?? "–",
                            change.content.capaian.map { format.number($0) } ?? "–")
                        : request.t("reportfile.field_changed", request.t("report.field.\(field.rawValue)"))
                })
        }
        let summary = plan.map {
            request.t("reportfile.summary", String($0.changes.count), String($0.unchanged))
        }
        let page = ImportPage(
            page: PageContext(request: request, title: request.t("reportfile.title", label), cycle: scope.cycle),
            csrfToken: request.csrfToken, instansiName: scope.instansi.name, triwulanLabel: label,
            reportURL: "\(SiteURL.instansiReport())?\(scope.query)",
            uploadURL: "\(SiteURL.reportLinesUpload())?\(scope.query)",
            downloadURL: "\(SiteURL.reportLinesFile())?\(scope.query)",
            fileName: fileName, problems: Array(problems.prefix(200)), hasProblems: !problems.isEmpty, rows: rows,
            summary: summary, applyURL: (plan?.changes.isEmpty ?? true) ? nil : applyURL)
        return try await request.view.render("report-import", page).encodeResponse(status: status, for: request)
    }

    struct UploadForm: Content {
        var file: File?
    }

    @Sendable func upload(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        let scope = try await self.scope(request)
        guard let file = (try? request.content.decode(UploadForm.self))?.file, file.data.readableBytes > 0 else {
            return try await self.render(
                request, scope, problems: [request.t("cycle.error.no_file")], status: .unprocessableEntity)
        }
        let fileName = String(file.filename.prefix(200))
        let data = Data(buffer: file.data)
        // The rows that read well are checked against the lines too, so that every problem is named at once.
        let (entries, fileProblems) = ReportLinesFile.readRows(data)
        var problems = fileProblems.map { ReportLinesImport.Refusal.Problem(row: $0.line, text: request.text(for: $0)) }
        let checked = try await scope.importer(request).check(entries, desk: request.reportDesk)
        if case .failure(let refusal) = checked { problems += refusal.problems }
        guard problems.isEmpty, case .success(let plan) = checked else {
            // In file order; a problem of the whole file (line 0 or 1) first.
            let ordered = problems.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }
            return try await self.render(
                request, scope, fileName: fileName, problems: ordered.map(\.element.text), status: .unprocessableEntity)
        }
        if plan.changes.isEmpty {
            return try await self.render(request, scope, fileName: fileName, plan: plan)
        }
        let pending = try await scope.importer(request).keep(
            String(decoding: data, as: UTF8.self), named: fileName, by: user.id)
        return request.redirect(to: SiteURL.reportLinesImport(try pending.requireID()))
    }

    /// The uploader's own file that has not been applied, its scope, and its rows (read when it was uploaded).
    private func pending(
        _ request: Request
    ) async throws -> (
        upload: ReportImport, scope: Scope, entries: [ReportLinesFile.Entry]
    ) {
        let user = try request.requireSignedIn()
        let id = request.parameters.get("id", as: Int.self) ?? -1
        let found = try await ReportImport.query(on: request.db).filter(\.$id == id)
            .filter(\.$user.$id == user.id).filter(\.$instansi.$id == user.instansiID ?? -1)
            .with(\.$instansi).with(\.$triwulan) { $0.with(\.$cycle) }.first()
        guard let upload = found, upload.appliedAt == nil else { throw PageError.notFound("error.import_not_found") }
        let scope = Scope(instansi: upload.instansi, triwulan: upload.triwulan, cycle: upload.triwulan.cycle)
        return (upload, scope, try ReportLinesFile.read(Data(upload.content.utf8)).get())
    }

    /// What the uploaded file would change, checked again against the lines as they stand now.
    @Sendable func preview(request: Request) async throws -> Response {
        let (upload, scope, entries) = try await self.pending(request)
        switch try await scope.importer(request).check(entries, desk: request.reportDesk) {
        case .failure(let refusal):
            return try await self.render(
                request, scope, fileName: upload.fileName, problems: refusal.problems.map(\.text),
                status: .unprocessableEntity)
        case .success(let plan):
            return try await self.render(
                request, scope, fileName: upload.fileName, plan: plan,
                applyURL: SiteURL.reportLinesImport(try upload.requireID())
            )
        }
    }

    @Sendable func apply(request: Request) async throws -> Response {
        let (upload, scope, entries) = try await self.pending(request)
        switch try await scope.importer(request).apply(entries, of: upload) {
        case .failure(let refusal):
            return try await self.render(
                request, scope, fileName: upload.fileName, problems: refusal.problems.map(\.text),
                status: .unprocessableEntity)
        case .success(let plan):
            return request.redirect(
                to: "\(SiteURL.instansiReport())?\(scope.query)&diperbarui=\(plan.changes.count)")
        }
    }
}
