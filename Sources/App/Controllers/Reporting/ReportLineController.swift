import Fluent
import StranasCore
import Vapor

/// `/laporan/baris/{target}`: one report line. The instansi fills and sends it, Setnas verifies it, Admin Setnas
/// reopens it; its versions, evidence and private discussion are on the same page. Which buttons show and what a
/// POST may do both come from `ReportWorkflow` through `ReportDesk`.
struct ReportLineController: RouteCollection {
    /// The largest evidence file (`JAGA_UPLOAD_LIMIT_MB`).
    var uploadLimit = 20 * 1024 * 1024

    /// Room for three files at the limit and the form around them: a file over the limit still arrives, so that the
    /// refusal can keep what was typed. A larger body is drained and the form comes back with its text (`OversizedForm`).
    var bodyLimit: Int { EvidenceIntake.bodyLimit(files: 3, uploadLimit: self.uploadLimit) }

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.requiring(.useAccount)
        signedIn.get(SiteURL.reportLine, use: self.show)
        signedIn.post(SiteURL.reportLineAction, use: self.act)
        signedIn.post(SiteURL.reportLineDiscussion, use: self.comment)
        routes.requiring(.fillReportLines).on(.POST, SiteURL.reportLine, body: .stream, use: self.save)
            .acceptingUploads(upTo: self.bodyLimit)
            .keepingTextOfOversizedForms()
    }

    // MARK: - The page

    struct EvidenceRow: Encodable {
        let sha256: String
        let fileName: String
        let isPublic: Bool
        let url: String
        /// The file shown in place, when the browser can show it; an image or a PDF frame.
        let inlineURL: String?
        let isImage: Bool
    }

    struct VersionRow: Encodable {
        let number: Int
        let action: String
        let state: String
        let actor: String
        let at: String
        let note: String?
        let changes: [String]
    }

    struct CommentRow: Encodable {
        let author: String
        let at: String
        let body: String
    }

    struct FormValues: Encodable {
        var capaian: String
        var narasi: String
        var kendala: String
        var tindakLanjut: String
        var links: String
    }

    struct LinePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let targetID: Int
        let title: String
        let indicatorCode: String
        let indicatorDescription: String
        let unit: String
        let instansiName: String
        let aksiNumber: Int
        let triwulanLabel: String
        /// The breadcrumb's first step: the list this reader came from (`backStep(_:_:)`).
        let backLink: String
        let backLabel: String
        let targetValue: String
        let dueOn: String
        let locksOn: String
        let isLocked: Bool
        let reopenedUntil: String?
        let state: String
        let stateKey: String
        let timeliness: String?
        let verifiedValue: String?
        let verificationNote: String?
        let isReturned: Bool
        /// "Direviu oleh …, …": the instansi's review approved the line, shown to everyone who reads it.
        let reviewedBy: String?
        /// The review sent the line back to draft: who, when, and the note, as a banner for its author.
        let sentBackBy: String?
        let sentBackNote: String?
        let version: Int
        let canEdit: Bool
        let canSubmitForReview: Bool
        let canResubmit: Bool
        /// A Focal Point resubmits a returned line as it stands (only a Unit Teknis edits it).
        let canResubmitAsIs: Bool
        let canWithdraw: Bool
        let canReview: Bool
        let canApproveReview: Bool
        let canSendBack: Bool
        /// The Focal Point submits a reviewed line through the check page, as from the instansi's report.
        let canSubmitToSetnas: Bool
        let checkURL: String
        let canVerify: Bool
        /// Where the verify forms post: the line's action, with the queue's filters for "and open the next line".
        let verifyURL: String
        let canReopen: Bool
        let form: FormValues
        /// The note typed with a refused action (send back, return, reopen), given back in its field.
        let typedNote: String
        /// A return's reason typed with a refused return, for the return's own field.
        let typedReturnNote: String
        /// "Diskusi dengan Setnas" for the instansi, "Diskusi dengan {instansi}" for Setnas: who the reader talks to.
        let discussionTitle: String
        let evidence: [EvidenceRow]
        let hasEvidence: Bool
        let pending: [PendingRow]
        let hasPending: Bool
        let errors: [String]
        let hasErrors: Bool
        let notice: String?
        let versions: [VersionRow]
        let hasVersions: Bool
        let comments: [CommentRow]
        let hasComments: Bool
        let uploadLimitMB: Int
    }

    struct PendingRow: Encodable {
        let token: String
        let fileName: String
    }

    @Sendable func show(request: Request) async throws -> Response {
        let desk = request.reportDesk
        let subject = try await self.readableSubject(request, desk)
        let notice = (try? request.query.get(String.self, at: "pesan")).map { request.t("report.notice.\($0)") }
        return try await self.render(request, desk, subject, notice: notice)
    }

    /// Where a reader of the line goes back to: the instansi's own staff to its report, a verifikator to the queue,
    /// Setnas and Timnas (who read every line) to the instansi's public page. Never to a page they may not open.
    static func backStep(_ request: Request, _ subject: ReportDesk.Subject) -> (link: String, label: String) {
        let user = request.signedInUser
        if user?.permissions.contains(.viewInstansiReport) == true, user?.instansiID == subject.instansi.id {
            return (
                SiteURL.instansiReport(
                    query: [
                        (CycleLookup.queryParameter, subject.cycle.code), ("triwulan", String(subject.triwulan.number)),
                    ]), request.t("report.instansi_title")
            )
        }
        if user?.permissions.contains(.verifyReportLines) == true {
            return (
                SiteURL.verificationQueue(query: VerificationQueueController.Filters(request).query),
                request.t("queue.title")
            )
        }
        return (SiteURL.instansi(subject.instansi.id!), subject.instansi.name)
    }

    private func readableSubject(_ request: Request, _ desk: ReportDesk) async throws -> ReportDesk.Subject {
        guard let id = request.parameters.get("target", as: Int.self) else { throw PageError.notFound() }
        let subject = try await desk.subject(targetID: id)
        // Someone else's line is answered as if it did not exist.
        guard try await desk.canRead(subject) else { throw PageError.notFound("error.report_line_not_found") }
        return subject
    }

    func render(
        _ request: Request, _ desk: ReportDesk, _ subject: ReportDesk.Subject, notice: String? = nil,
        form: FormValues? = nil, typedNote: String = "", typedAction: ReportAction? = nil,
        pending: [ReportDesk.EvidenceItem] = [],
        errors: [String] = [], status: HTTPStatus = .ok
    ) async throws -> Response {
        let format = request.displayFormat
        let line = subject.line
        let available = try await desk.available(subject)
        let evidence = try await desk.currentEvidence(line)
        let versions = try await self.versionRows(line, request: request)
        var comments: [ReportComment] = []
        if let lineID = line?.id {
            comments = try await ReportComment.query(on: request.db).filter(\.$line.$id == lineID).sort(\.$at)
                .sort(\.$id).all()
        }
        let intake = EvidenceIntake(request: request)
        let label = request.triwulanLabel(number: subject.triwulan.number, startYear: subject.cycle.startYear)
        let reviewDecision = line.flatMap { line in
            line.reviewedAt.map { (by: line.reviewer ?? "–", at: format.timestamp($0)) }
        }
        let isSentBack = subject.state == .draft && line?.reviewNote != nil
        let back = Self.backStep(request, subject)
        let page = LinePage(
            page: PageContext(request: request, title: "\(subject.indicator.code) · \(label)", cycle: nil),
            csrfToken: request.csrfToken, targetID: subject.targetID,
            title: request.t("report.line_title", subject.indicator.code, subject.instansi.name, label),
            indicatorCode: subject.indicator.code, indicatorDescription: subject.indicator.description,
            unit: subject.indicator.unit, instansiName: subject.instansi.name, aksiNumber: subject.aksi.number,
            triwulanLabel: label, backLink: back.link, backLabel: back.label,
            targetValue: format.number(subject.target.value),
            dueOn: format.date(CalendarDate(iso: subject.triwulan.dueOn)!),
            locksOn: format.date(CalendarDate(iso: subject.triwulan.locksOn)!), isLocked: desk.isLocked(subject),
            reopenedUntil: line?.reopenedUntil.flatMap(CalendarDate.init(iso:)).map { format.date($0) },
            state: request.t("report.state.\(subject.version == 0 ? "none" : subject.state.rawValue)"),
            stateKey: subject.version == 0 ? "none" : subject.state.rawValue,
            timeliness: line?.timeliness.map { request.t("report.timeliness.\($0.rawValue)") },
            verifiedValue: line?.verifiedValue.map { format.number($0) }, verificationNote: line?.verificationNote,
            isReturned: subject.state == .returned,
            reviewedBy: isSentBack || subject.state == .draft
                ? nil : reviewDecision.map { request.t("report.reviewed_by", $0.by, $0.at) },
            sentBackBy: isSentBack ? reviewDecision.map { request.t("report.sent_back_by", $0.by, $0.at) } : nil,
            sentBackNote: isSentBack ? line?.reviewNote : nil, version: subject.version,
            canEdit: available.contains(.save), canSubmitForReview: available.contains(.submitForReview),
            canResubmit: available.contains(.resubmit) && available.contains(.save),
            canResubmitAsIs: available.contains(.resubmit) && !available.contains(.save),
            canWithdraw: available.contains(.withdraw),
            canReview: available.contains(.approveReview) || available.contains(.sendBack),
            canApproveReview: available.contains(.approveReview), canSendBack: available.contains(.sendBack),
            canSubmitToSetnas: available.contains(.submitToSetnas),
            checkURL: SiteURL.instansiReportCheck(
                query: [("periode", subject.cycle.code), ("triwulan", String(subject.triwulan.number))]),
            canVerify: available.contains(.accept),
            verifyURL: SiteURL.reportLineAction(
                subject.targetID, query: VerificationQueueController.Filters(request).query),
            canReopen: available.contains(.reopen),
            form: form
                ?? FormValues(
                    capaian: line?.capaian.map(request.displayFormat.editable) ?? "", narasi: line?.narasi ?? "",
                    kendala: line?.kendala ?? "", tindakLanjut: line?.tindakLanjut ?? "", links: line?.links ?? ""),
            typedNote: typedAction == .return ? "" : typedNote,
            typedReturnNote: typedAction == .return ? typedNote : "",
            discussionTitle: request.signedInUser?.instansiID == subject.instansi.id
                ? request.t("report.discussion") : request.t("report.discussion_with", subject.instansi.name),
            evidence: evidence.map {
                EvidenceRow(
                    sha256: $0.$blob.id, fileName: $0.fileName, isPublic: $0.isPublic,
                    url: EvidenceController.url(sha256: $0.$blob.id, targetID: subject.targetID),
                    inlineURL: EvidenceController.inlineURL(
                        sha256: $0.$blob.id, targetID: subject.targetID, kind: $0.blob.kind),
                    isImage: $0.blob.kind != .pdf)
            },
            hasEvidence: !evidence.isEmpty,
            pending: pending.map { PendingRow(token: intake.pendingToken($0), fileName: $0.fileName) },
            hasPending: !pending.isEmpty, errors: errors, hasErrors: !errors.isEmpty, notice: notice,
            versions: versions, hasVersions: !versions.isEmpty,
            comments: comments.map {
                CommentRow(author: AuditLogController.nameOnly($0.author), at: format.timestamp($0.at), body: $0.body)
            },
            hasComments: !comments.isEmpty, uploadLimitMB: request.application.config.uploadLimitBytes / 1_048_576)
        return try await request.view.render("report-line", page).encodeResponse(status: status, for: request)
    }

    /// Newest first, each with what changed since the one before: fields, state and files.
    private func versionRows(_ line: ReportLine?, request: Request) async throws -> [VersionRow] {
        guard let line, let lineID = line.id else { return [] }
        let versions = try await ReportVersion.query(on: request.db).filter(\.$line.$id == lineID).sort(\.$number)
            .with(\.$evidence).all()
        let format = request.displayFormat
        var rows: [VersionRow] = []
        var previous: ReportDesk.Content?
        var previousState: ReportState?
        for version in versions {
            let content = ReportDesk.Content(
                capaian: version.capaian, narasi: version.narasi, kendala: version.kendala,
                tindakLanjut: version.tindakLanjut, links: version.links,
                evidence: version.evidence.map(ReportDesk.EvidenceItem.init))
            var changes = ReportDesk.differences(
                from: previous ?? ReportDesk.Content(), to: content,
                number: { format.number($0, maximumFractionDigits: 6) })
            if let previousState, previousState != version.state {
                changes.insert(
                    request.t(
                        "report.history.state", request.t("report.state.\(previousState.rawValue)"),
                        request.t("report.state.\(version.state.rawValue)")), at: 0)
            }
            rows.append(
                VersionRow(
                    number: version.number, action: request.t("report.action.\(version.action.rawValue)"),
                    state: request.t("report.state.\(version.state.rawValue)"),
                    actor: AuditLogController.nameOnly(version.actor), at: format.timestamp(version.at),
                    note: version.note, changes: changes))
            previous = content
            previousState = version.state
        }
        return rows.reversed()
    }

    // MARK: - Saving content

    struct SaveForm: Content {
        var versi: Int?
        /// The report action (`ReportAction`): never `aksi`, which names the plan item.
        var tindakan: String?
        var capaian: String?
        var narasi: String?
        var kendala: String?
        var tindakLanjut: String?
        var tautan: String?
        var bukti: [File]?
        var buktiPublik: String?
        var tertunda: [String]?
        var simpan: [String]?
        var publik: [String]?
        /// Set by the conflict page: the evidence is exactly the pending list.
        var hanyaTertunda: String?
    }

    @Sendable func save(request: Request) async throws -> Response {
        let desk = request.reportDesk
        let subject = try await self.readableSubject(request, desk)
        if let oversized = request.oversizedForm {
            let values = FormValues(
                capaian: request.formText("capaian") ?? "", narasi: request.formText("narasi") ?? "",
                kendala: request.formText("kendala") ?? "", tindakLanjut: request.formText("tindakLanjut") ?? "",
                links: request.formText("tautan") ?? "")
            return try await self.render(
                request, desk, subject, form: values,
                errors: [
                    request.t(
                        "report.error.body_too_large",
                        request.displayFormat.number(Double(oversized.size) / 1_048_576, maximumFractionDigits: 1),
                        String(self.uploadLimit / 1_048_576), String(self.bodyLimit / 1_048_576))
                ], status: .payloadTooLarge)
        }
        // Decoding a multipart body copies every file: seconds of CPU for large ones, kept off the event loops.
        let form =
            (try? await request.application.threadPool.runIfActive { try request.content.decode(SaveForm.self) })
            ?? SaveForm()
        let action = ReportAction(rawValue: form.tindakan ?? "save") ?? .save
        guard [.save, .submitForReview, .resubmit].contains(action) else {
            throw PageError.badRequest("error.bad_form")
        }

        var errors: [String] = []
        let values = FormValues(
            capaian: (form.capaian ?? "").trimmingCharacters(in: .whitespaces), narasi: form.narasi ?? "",
            kendala: form.kendala ?? "", tindakLanjut: form.tindakLanjut ?? "", links: form.tautan ?? "")
        var capaian: Double?
        if !values.capaian.isEmpty {
            switch Quantity.read(values.capaian) {
            case .success(let value): capaian = value
            case .failure: errors.append(request.t("report.error.capaian", values.capaian, request.quantityMaximum))
            }
        }
        let links = ReportContentRules.links(in: values.links)
        errors += ReportContentRules.problems(
            narasi: values.narasi, kendala: values.kendala, tindakLanjut: values.tindakLanjut, links: links,
            capaian: capaian, kind: subject.indicator.kind
        ).map(request.text(for:))

        let intake = EvidenceIntake(request: request)
        let uploaded = try await intake.take(form.bukti ?? [], isPublic: form.buktiPublik != nil)
        errors += uploaded.problems
        let pending = try await intake.pending(form.tertunda ?? []) + uploaded.accepted

        // The evidence after this save: the current files the form keeps (with their public flags), then new ones.
        var evidence: [ReportDesk.EvidenceItem] = []
        if form.hanyaTertunda == nil {
            let keep = Set(form.simpan ?? [])
            let publicFiles = Set(form.publik ?? [])
            for item in try await desk.currentEvidence(subject.line) where keep.contains(item.$blob.id) {
                evidence.append(
                    .init(sha256: item.$blob.id, fileName: item.fileName, isPublic: publicFiles.contains(item.$blob.id))
                )
            }
        }
        for item in pending where !evidence.contains(where: { $0.sha256 == item.sha256 }) { evidence.append(item) }

        guard errors.isEmpty else {
            return try await self.render(
                request, desk, subject, form: values, pending: pending, errors: errors, status: .unprocessableEntity)
        }
        let content = ReportDesk.Content(
            capaian: capaian, narasi: values.narasi, kendala: values.kendala, tindakLanjut: values.tindakLanjut,
            links: links.joined(separator: "\n"), evidence: evidence)
        switch try await desk.perform(action, on: subject, content: content, expectedVersion: form.versi ?? -1) {
        case .success:
            return request.redirect(to: SiteURL.reportLine(subject.targetID) + "?pesan=\(action.rawValue)")
        case .failure(.conflict):
            return try await self.renderConflict(
                request, desk, subject, mine: values, evidence: evidence, action: action)
        case .failure(let problem):
            return try await self.render(
                request, desk, subject, form: values, pending: pending, errors: [request.text(for: problem)],
                status: problem == .outOfScope ? .forbidden : .unprocessableEntity)
        }
    }

    // MARK: - Conflicts

    struct ConflictPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let targetID: Int
        let title: String
        let theirs: FormValues
        let theirsBy: String
        let theirsAt: String
        let theirsFiles: [String]
        let mine: FormValues
        let mineFiles: [String]
        let mineTokens: [String]
        let version: Int
        let action: String
    }

    /// Both versions side by side, and the choice: save mine over theirs (knowingly), or keep theirs.
    private func renderConflict(
        _ request: Request, _ desk: ReportDesk, _ stale: ReportDesk.Subject, mine: FormValues,
        evidence: [ReportDesk.EvidenceItem], action: ReportAction
    ) async throws -> Response {
        let subject = try await desk.subject(targetID: stale.targetID)
        let line = subject.line
        var latest: ReportVersion?
        if let lineID = line?.id {
            latest = try await ReportVersion.query(on: request.db).filter(\.$line.$id == lineID)
                .sort(\.$number, .descending).first()
        }
        let intake = EvidenceIntake(request: request)
        let page = ConflictPage(
            page: PageContext(request: request, title: request.t("report.conflict.title"), cycle: nil),
            csrfToken: request.csrfToken, targetID: subject.targetID,
            title: request.t(
                "report.line_title", subject.indicator.code, subject.instansi.name,
                request.triwulanLabel(number: subject.triwulan.number, startYear: subject.cycle.startYear)),
            theirs: FormValues(
                capaian: line?.capaian.map(request.displayFormat.editable) ?? "", narasi: line?.narasi ?? "",
                kendala: line?.kendala ?? "", tindakLanjut: line?.tindakLanjut ?? "", links: line?.links ?? ""),
            theirsBy: latest.map { AuditLogController.nameOnly($0.actor) } ?? "–",
            theirsAt: latest.map { request.displayFormat.timestamp($0.at) } ?? "–",
            theirsFiles: try await desk.currentEvidence(line).map(\.fileName), mine: mine,
            mineFiles: evidence.map(\.fileName), mineTokens: evidence.map(intake.pendingToken),
            version: subject.version, action: action.rawValue)
        return try await request.view.render("report-conflict", page).encodeResponse(status: .conflict, for: request)
    }

    // MARK: - Actions without content

    struct ActionForm: Content {
        var versi: Int?
        /// The report action (`ReportAction`): never `aksi`, which names the plan item.
        var tindakan: String?
        /// The same action, then on to the next line of the verifikator's queue under the filters of the request.
        var lanjut: String?
        var nilai: String?
        var catatan: String?
    }

    /// Withdraw, approve in review, send back, resubmit as it stands, accept, return, reopen. Saving goes with the
    /// content form; submitting to Setnas goes through the check page (`ReportSubmissionController`).
    @Sendable func act(request: Request) async throws -> Response {
        let desk = request.reportDesk
        let subject = try await self.readableSubject(request, desk)
        let form = (try? request.content.decode(ActionForm.self)) ?? ActionForm()
        let goesOn = form.lanjut != nil
        guard let action = ReportAction(rawValue: form.tindakan ?? form.lanjut ?? ""),
            ![.save, .submitForReview, .submitToSetnas].contains(action)
        else {
            throw PageError.badRequest("error.bad_form")
        }
        var verifiedValue: Double?
        if action == .accept {
            let raw = (form.nilai ?? "").trimmingCharacters(in: .whitespaces)
            guard case .success(let value) = Quantity.read(raw) else {
                return try await self.render(
                    request, desk, subject, typedNote: form.catatan ?? "",
                    errors: [request.t("report.error.verified_value", request.quantityMaximum)],
                    status: .unprocessableEntity)
            }
            verifiedValue = value
        }
        switch try await desk.perform(
            action, on: subject, content: nil, verifiedValue: verifiedValue, note: form.catatan,
            expectedVersion: form.versi ?? -1)
        {
        case .success:
            if goesOn, action == .accept || action == .return {
                return try await Self.redirectToNextLine(request, after: action)
            }
            return request.redirect(to: SiteURL.reportLine(subject.targetID) + "?pesan=\(action.rawValue)")
        case .failure(let problem):
            return try await self.render(
                request, desk, subject, typedNote: form.catatan ?? "", typedAction: action,
                errors: [request.text(for: problem)],
                status: problem == .conflict ? .conflict : problem == .outOfScope ? .forbidden : .unprocessableEntity)
        }
    }

    /// After a decision, the oldest line still waiting in the verifikator's queue under the request's filters, or
    /// the queue itself when none is left; either says what became of the line just decided.
    static func redirectToNextLine(_ request: Request, after action: ReportAction) async throws -> Response {
        let (_, kept, filters) = try await VerificationQueueController.queue(for: request)
        guard let next = kept.first else {
            return request.redirect(
                to: SiteURL.verificationQueue(query: filters.query + [("selesai", action.rawValue)]))
        }
        return request.redirect(
            to: SiteURL.reportLine(next.targetID, query: filters.query + [("pesan", "next_after_\(action.rawValue)")]))
    }

    // MARK: - Discussion

    /// A private message between the instansi and Setnas on this line; it changes nothing in the line.
    @Sendable func comment(request: Request) async throws -> Response {
        let desk = request.reportDesk
        let subject = try await self.readableSubject(request, desk)
        _ = try request.requireSignedIn()
        let body = ((try? request.content.get(String.self, at: "isi")) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 4000 else {
            return try await self.render(
                request, desk, subject, errors: [request.t("report.error.comment")], status: .unprocessableEntity)
        }
        if case .failure(let problem) = try await desk.comment(body, on: subject) {
            return try await self.render(
                request, desk, subject, errors: [request.text(for: problem)], status: .forbidden)
        }
        return request.redirect(to: SiteURL.reportLine(subject.targetID) + "?pesan=diskusi#diskusi")
    }
}

extension Request {
    /// What a refused report action says to the person who tried it.
    func text(for problem: ReportDesk.Problem) -> String {
        switch problem {
        case .conflict: self.t("report.error.conflict")
        case .refused(.locked): self.t("report.error.locked")
        case .refused(.notLocked): self.t("report.error.not_locked")
        case .refused(.notFromState(let state, let action)):
            self.t(
                "report.error.not_from_state", self.t("report.action.\(action.rawValue)"),
                self.t("report.state.\(state.rawValue)"))
        case .refused(.notAllowed), .outOfScope:
            self.t("report.error.not_allowed")
        case .capaianRequired: self.t("report.error.capaian_required")
        case .reasonRequired: self.t("report.error.reason", String(TargetRevisionPolicy.minimumReasonLength))
        case .verifiedValueRequired: self.t("report.error.verified_value")
        case .content(let problems): problems.map(self.text(for:)).joined(separator: " ")
        }
    }
}
