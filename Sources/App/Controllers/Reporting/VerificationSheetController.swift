import Fluent
import StranasCore
import Vapor

/// `/verifikasi/keputusan.csv` and `/verifikasi/unggah`: a verifikator's filtered queue as a spreadsheet, and the
/// decided spreadsheet uploaded back: checked, previewed line by line, then applied all or nothing
/// (`VerificationSheetImport`).
struct VerificationSheetController: RouteCollection {
    /// A whole file, with room for the form around it.
    static let bodyLimit = ReportLinesFile.maximumBytes + 64 * 1024

    func boot(routes: any RoutesBuilder) throws {
        let verifikator = routes.requiring(.verifyReportLines)
        verifikator.get(SiteURL.verificationFile, use: self.download)
        verifikator.on(
            .POST, SiteURL.verificationUpload, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)),
            use: self.upload
        ).acceptingUploads(upTo: Self.bodyLimit)
        verifikator.get(SiteURL.verificationImport, use: self.preview)
        verifikator.post(SiteURL.verificationImport, use: self.apply)
    }

    @Sendable func download(request: Request) async throws -> Response {
        let text = VerificationFile.write(try await VerificationSheetImport(request: request).lines())
        return CSVDownload.response(
            text: text, fileName: "verifikasi-\(request.application.clock.today.iso).csv")
    }

    struct ChangeRow: Encodable {
        let targetID: Int
        let indicatorCode: String
        let instansi: String
        let decision: String
        let detail: String
    }

    struct ImportPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let queueURL: String
        let uploadURL: String
        let fileName: String?
        let problems: [String]
        let hasProblems: Bool
        let rows: [ChangeRow]
        let summary: String?
        let applyURL: String?
    }

    private func render(
        _ request: Request, fileName: String? = nil, problems: [String] = [],
        changes: [VerificationSheetImport.Change]? = nil, applyURL: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let format = request.displayFormat
        let rows = (changes ?? []).map { change in
            ChangeRow(
                targetID: change.subject.targetID, indicatorCode: change.subject.indicator.code,
                instansi: change.subject.instansi.name,
                decision: request.t("report.action.\(change.decision.action.rawValue)"),
                detail: change.decision == .accept
                    ? request.t(
                        "verificationfile.accept_detail",
                        change.subject.line?.capaian.map { format.number($0) } ?? "–",
                        change.value.map { format.number($0) } ?? "–")
                    : change.note)
        }
        let accepted = (changes ?? []).filter { $0.decision == .accept }.count
        let page = ImportPage(
            page: PageContext(request: request, title: request.t("verificationfile.title"), cycle: nil),
            csrfToken: request.csrfToken, queueURL: SiteURL.verificationQueue(),
            uploadURL: SiteURL.verificationUpload(), fileName: fileName, problems: Array(problems.prefix(200)),
            hasProblems: !problems.isEmpty, rows: rows,
            summary: changes.map {
                request.t("verificationfile.summary", String(accepted), String($0.count - accepted))
            },
            applyURL: (changes?.isEmpty ?? true) ? nil : applyURL)
        let response = try await request.view.render("verification-import", page).encodeResponse(
            status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    struct UploadForm: Content {
        var file: File?
    }

    @Sendable func upload(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let file = (try? request.content.decode(UploadForm.self))?.file, file.data.readableBytes > 0 else {
            return try await self.render(
                request, problems: [request.t("cycle.error.no_file")], status: .unprocessableEntity)
        }
        let fileName = String(file.filename.prefix(200))
        let data = Data(buffer: file.data)
        let importer = VerificationSheetImport(request: request)
        // The rows that read well are checked against the lines too, so that every problem is named at once.
        let (entries, fileProblems) = VerificationFile.readRows(data)
        var problems = fileProblems.map { ReportLinesImport.Refusal.Problem(row: $0.line, text: request.text(for: $0)) }
        let checked = try await importer.check(entries, desk: request.reportDesk)
        if case .failure(let refusal) = checked { problems += refusal.problems }
        guard problems.isEmpty, case .success(let changes) = checked else {
            let ordered = problems.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }
            return try await self.render(
                request, fileName: fileName, problems: ordered.map(\.element.text), status: .unprocessableEntity)
        }
        if changes.isEmpty {
            return try await self.render(request, fileName: fileName, changes: changes)
        }
        let pending = try await importer.keep(String(decoding: data, as: UTF8.self), named: fileName, by: user.id)
        return request.redirect(to: SiteURL.verificationImport(try pending.requireID()))
    }

    /// The uploader's own file that has not been applied, and its decided rows (read when it was uploaded).
    private func pending(_ request: Request) async throws -> (VerificationImport, [VerificationFile.Entry]) {
        let user = try request.requireSignedIn()
        let id = request.parameters.get("id", as: Int.self) ?? -1
        guard
            let upload = try await VerificationImport.query(on: request.db).filter(\.$id == id)
                .filter(\.$user.$id == user.id).first(),
            upload.appliedAt == nil
        else { throw PageError.notFound("error.import_not_found") }
        return (upload, VerificationFile.readRows(Data(upload.content.utf8)).entries)
    }

    /// What the kept file would decide, checked again against the lines as they stand now.
    @Sendable func preview(request: Request) async throws -> Response {
        let (upload, entries) = try await self.pending(request)
        switch try await VerificationSheetImport(request: request).check(entries, desk: request.reportDesk) {
        case .failure(let refusal):
            return try await self.render(
                request, fileName: upload.fileName, problems: refusal.problems.map(\.text),
                status: .unprocessableEntity)
        case .success(let changes):
            return try await self.render(
                request, fileName: upload.fileName, changes: changes,
                applyURL: SiteURL.verificationImport(try upload.requireID()))
        }
    }

    @Sendable func apply(request: Request) async throws -> Response {
        let (upload, entries) = try await self.pending(request)
        switch try await VerificationSheetImport(request: request).apply(entries, of: upload) {
        case .failure(let refusal):
            return try await self.render(
                request, fileName: upload.fileName, problems: refusal.problems.map(\.text),
                status: .unprocessableEntity)
        case .success(let changes):
            return request.redirect(
                to: SiteURL.verificationQueue(query: [("diputuskan", String(changes.count))]))
        }
    }
}
