import Fluent
import StranasCore
import Vapor

/// `/laporan/baris.csv` and `/laporan/unggah`: an instansi's open lines of a triwulan as a spreadsheet, and the filled
/// spreadsheet uploaded back: checked, previewed line by line, then applied all or nothing.
struct ReportLinesFileController: RouteCollection {
    static let downloadPath = "/laporan/baris.csv"
    static let uploadPath = "/laporan/unggah"
    static func importPath(_ id: Int) -> String { "\(self.uploadPath)/\(id)" }
    /// A whole file, with room for the form around it.
    static let bodyLimit = ReportLinesFile.maximumBytes + 64 * 1024

    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewInstansiReport).get("laporan", "baris.csv", use: self.download)
        let filling = routes.requiring(.fillReportLines)
        filling.on(
            .POST, "laporan", "unggah", body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: self.upload
        ).acceptingUploads(upTo: Self.bodyLimit)
        filling.get("laporan", "unggah", ":id", use: self.preview)
        filling.post("laporan", "unggah", ":id", use: self.apply)
    }

    /// The instansi and triwulan a request speaks of: the signed-in person's instansi, the triwulan as `/laporan`
    /// chooses it.
    private func scope(_ request: Request) async throws -> (instansi: Instansi, triwulan: Triwulan, cycle: Cycle) {
        let user = try request.requireSignedIn()
        guard let instansiID = user.instansiID, let instansi = try await Instansi.find(instansiID, on: request.db)
        else { throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: []) }
        let cycle = try await CycleLookup.cycle(for: request)
        return (instansi, try await InstansiReportController.triwulan(of: cycle, request: request), cycle)
    }

    // MARK: - Download

    @Sendable func download(request: Request) async throws -> Response {
        let (instansi, triwulan, cycle) = try await self.scope(request)
        let importer = ReportLinesImport(request: request, instansiID: try instansi.requireID(), triwulan: triwulan)
        let text = ReportLinesFile.write(try await importer.openLines())
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        // Built from ids and the cycle code only, never from anything sent to us.
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"laporan-\(instansi.id!)-\(cycle.code)-tw\(triwulan.number).csv\"")
        return response
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
        _ request: Request, instansi: Instansi, triwulan: Triwulan, cycle: Cycle, fileName: String? = nil,
        problems: [String] = [], plan: ReportLinesImport.Plan? = nil, applyURL: String? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let query = "periode=\(cycle.code)&triwulan=\(triwulan.number)"
        let label = request.triwulanLabel(number: triwulan.number, startYear: cycle.startYear)
        let format = request.displayFormat
        let rows = (plan?.changes ?? []).map { change in
            ChangeRow(
                targetID: change.subject.targetID, indicatorCode: change.subject.indicator.code,
                description: change.subject.indicator.description,
                action: request.t("report.action.\(change.action.rawValue)"),
                changes: change.changedFields.map { field in
                    switch field {
                    case .capaian:
                        request.t(
                            "reportfile.capaian_change", change.subject.line?.capaian.map { format.number($0) } ?? "–",
                            change.content.capaian.map { format.number($0) } ?? "–")
                    case .narasi: request.t("reportfile.field_changed", request.t("report.field.narasi"))
                    case .kendala: request.t("reportfile.field_changed", request.t("report.field.kendala"))
                    case .tindakLanjut:
                        request.t("reportfile.field_changed", request.t("report.field.tindak_lanjut"))
                    case .links: request.t("reportfile.field_changed", request.t("report.field.links"))
                    }
                })
        }
        let summary = plan.map {
            request.t("reportfile.summary", String($0.changes.count), String($0.unchanged))
        }
        let page = ImportPage(
            page: PageContext(request: request, title: request.t("reportfile.title", label), cycle: cycle),
            csrfToken: request.csrfToken, instansiName: instansi.name, triwulanLabel: label,
            reportURL: "\(InstansiReportController.path)?\(query)", uploadURL: "\(Self.uploadPath)?\(query)",
            downloadURL: "\(Self.downloadPath)?\(query)", fileName: fileName, problems: problems,
            hasProblems: !problems.isEmpty, rows: rows, summary: summary,
            applyURL: (plan?.changes.isEmpty ?? true) ? nil : applyURL)
        return try await request.view.render("report-import", page).encodeResponse(status: status, for: request)
    }

    struct UploadForm: Content {
        var file: File?
    }

    @Sendable func upload(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        let (instansi, triwulan, cycle) = try await self.scope(request)
        func refuse(_ problems: [String], fileName: String? = nil) async throws -> Response {
            try await self.render(
                request, instansi: instansi, triwulan: triwulan, cycle: cycle, fileName: fileName,
                problems: Array(problems.prefix(200)), status: .unprocessableEntity)
        }
        guard let file = (try? request.content.decode(UploadForm.self))?.file, file.data.readableBytes > 0 else {
            return try await refuse([request.t("cycle.error.no_file")])
        }
        let fileName = String(file.filename.prefix(200))
        let data = Data(buffer: file.data)
        // The rows that read well are checked against the lines too, so that every problem is named at once.
        let (entries, fileProblems) = ReportLinesFile.readRows(data)
        let importer = ReportLinesImport(request: request, instansiID: try instansi.requireID(), triwulan: triwulan)
        var problems = fileProblems.map { ReportLinesImport.Refusal.Problem(row: $0.line, text: request.text(for: $0)) }
        let checked = try await importer.check(entries, desk: ReportDesk(request: request))
        if case .failure(let refusal) = checked { problems += refusal.problems }
        guard problems.isEmpty, case .success(let plan) = checked else {
            // In file order; a problem of the whole file (line 0 or 1) first.
            let ordered = problems.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }
            return try await refuse(ordered.map(\.element.text), fileName: fileName)
        }
        if plan.changes.isEmpty {
            return try await self.render(
                request, instansi: instansi, triwulan: triwulan, cycle: cycle, fileName: fileName, plan: plan)
        } else {
            let pending = ReportImport(
                instansiID: try instansi.requireID(), triwulanID: try triwulan.requireID(), userID: user.id,
                fileName: fileName, content: String(decoding: data, as: UTF8.self), now: request.application.clock.now()
            )
            try await pending.create(on: request.db)
            return request.redirect(to: Self.importPath(try pending.requireID()))
        }
    }

    /// The uploader's own import that has not been applied, with its instansi, triwulan and cycle.
    private func pending(_ request: Request) async throws -> (ReportImport, Instansi, Triwulan, Cycle) {
        let user = try request.requireSignedIn()
        let id = request.parameters.get("id", as: Int.self) ?? -1
        let found = try await ReportImport.query(on: request.db).filter(\.$id == id)
            .filter(\.$user.$id == user.id).filter(\.$instansi.$id == user.instansiID ?? -1)
            .with(\.$instansi).with(\.$triwulan) { $0.with(\.$cycle) }.first()
        guard let pending = found, pending.appliedAt == nil else { throw PageError.notFound("error.import_not_found") }
        return (pending, pending.instansi, pending.triwulan, pending.triwulan.cycle)
    }

    /// What the uploaded file would change, checked again against the lines as they stand now.
    @Sendable func preview(request: Request) async throws -> Response {
        let (pending, instansi, triwulan, cycle) = try await self.pending(request)
        let importer = ReportLinesImport(request: request, instansiID: try instansi.requireID(), triwulan: triwulan)
        let entries = try ReportLinesFile.read(Data(pending.content.utf8)).get()
        switch try await importer.check(entries, desk: ReportDesk(request: request)) {
        case .failure(let refusal):
            return try await self.render(
                request, instansi: instansi, triwulan: triwulan, cycle: cycle, fileName: pending.fileName,
                problems: refusal.problems.prefix(200).map(\.text), status: .unprocessableEntity)
        case .success(let plan):
            return try await self.render(
                request, instansi: instansi, triwulan: triwulan, cycle: cycle, fileName: pending.fileName, plan: plan,
                applyURL: Self.importPath(try pending.requireID()))
        }
    }

    @Sendable func apply(request: Request) async throws -> Response {
        let (pending, instansi, triwulan, cycle) = try await self.pending(request)
        let importer = ReportLinesImport(request: request, instansiID: try instansi.requireID(), triwulan: triwulan)
        let entries = try ReportLinesFile.read(Data(pending.content.utf8)).get()
        switch try await importer.apply(entries) {
        case .failure(let refusal):
            return try await self.render(
                request, instansi: instansi, triwulan: triwulan, cycle: cycle, fileName: pending.fileName,
                problems: refusal.problems.prefix(200).map(\.text), status: .unprocessableEntity)
        case .success(let plan):
            pending.appliedAt = request.application.clock.now()
            try await pending.save(on: request.db)
            return request.redirect(
                to: "\(InstansiReportController.path)?periode=\(cycle.code)&triwulan=\(triwulan.number)"
                    + "&diperbarui=\(plan.changes.count)")
        }
    }
}
