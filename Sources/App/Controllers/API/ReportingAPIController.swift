import Fluent
import StranasCore
import Vapor

/// `/api/v1/laporan` and `/api/v1/bukti`: the reporting API for an instansi's own systems, with a key made by its
/// Admin Instansi (`Authorization: Bearer jst_...`). It reads the instansi's lines of a triwulan and fills them as the
/// Unit Teknis does on the web: through `ReportDesk`, with the same workflow, lock days, content rules, optimistic
/// versions, evidence checks and history. A key sees and touches its own instansi's lines only.
struct ReportingAPIController: RouteCollection {
    let uploadLimit: Int

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped(OpenDataHeadersMiddleware(isPrivate: true))
            .grouped(APITokenAuthenticator())
        api.get(SiteURL.apiLines, use: self.lines)
        // Three texts of up to 10,000 characters and the links fit well within 1 MB.
        api.on(.POST, SiteURL.apiLine, body: .collect(maxSize: "1mb"), use: self.fill)
        api.on(
            .POST, SiteURL.apiEvidence, body: .collect(maxSize: ByteCount(value: self.uploadLimit + 1024)),
            use: self.upload
        ).acceptingUploads(upTo: self.uploadLimit + 1024)
    }

    // MARK: - Reading

    struct Evidence: Encodable {
        let sha256: String
        let fileName: String
        let `public`: Bool
    }

    struct Line: Encodable {
        let target: Int
        let aksi: Int
        let indicator: String
        let description: String
        let unit: String
        let targetValue: Double
        let state: String
        let version: Int
        let locked: Bool
        @AlwaysPresent var capaian: Double?
        let narasi: String
        let kendala: String
        let tindakLanjut: String
        let links: [String]
        @AlwaysPresent var verificationNote: String?
        let evidence: [Evidence]

    }

    struct Report: Encodable {
        let instansi: Int
        let cycle: String
        let triwulan: Int
        let opensOn: String
        let dueOn: String
        let locksOn: String
        let lines: [Line]
    }

    /// The instansi's lines of a triwulan (`periode`, `triwulan`; by default the one whose window is open), with what
    /// each holds now and the version a change must name.
    @Sendable func lines(request: Request) async throws -> Response {
        let token = try self.token(request)
        try APIQuery.requireKnown(request, [CycleLookup.queryParameter, "triwulan"])
        _ = try APIQuery.integer("triwulan", in: request, range: 1...ReportingCalendar.triwulanPerCycle)
        let cycle: Cycle
        if let code = try APIQuery.matching(
            CycleLookup.queryParameter, in: request, pattern: "^[0-9]{4}-[0-9]{4}$", expected: "api.expected.cycle_code"
        ) {
            guard let found = try await Cycle.find(code: code, on: request.db), found.isPublished else {
                throw APIError.unknownCycle(code)
            }
            cycle = found
        } else {
            cycle = try await CycleLookup.cycle(for: request)
        }
        let triwulan = try await InstansiReportController.triwulan(of: cycle, request: request)
        let desk = request.reportDesk
        let subjects = try await desk.subjects(instansiID: token.$instansi.id, triwulanID: triwulan.requireID())
        let evidenceByLine = try await desk.currentEvidence(of: subjects.compactMap(\.line))
        var items: [Line] = []
        for subject in subjects {
            let line = subject.line
            let evidence = (line?.id.flatMap { evidenceByLine[$0] } ?? []).map {
                Evidence(sha256: $0.$blob.id, fileName: $0.fileName, public: $0.isPublic)
            }
            items.append(
                Line(
                    target: subject.targetID, aksi: subject.aksi.number, indicator: subject.indicator.code,
                    description: subject.indicator.description, unit: subject.indicator.unit,
                    targetValue: subject.target.value, state: subject.state.rawValue, version: subject.version,
                    locked: desk.isLocked(subject), capaian: line?.capaian, narasi: line?.narasi ?? "",
                    kendala: line?.kendala ?? "", tindakLanjut: line?.tindakLanjut ?? "",
                    links: ReportDesk.links(in: line?.links ?? ""),
                    verificationNote: line?.state == .returned ? line?.verificationNote : nil, evidence: evidence))
        }
        return try APIResponses.json(
            Report(
                instansi: token.$instansi.id, cycle: cycle.code, triwulan: triwulan.number, opensOn: triwulan.opensOn,
                dueOn: triwulan.dueOn, locksOn: triwulan.locksOn, lines: items))
    }

    // MARK: - Filling

    /// What a system sends to change a line.
    struct Change: Content {
        /// The version it read; a later change by anyone else makes this one a conflict.
        var version: Int
        /// `save`, `submit_for_review` (to the instansi's review) or `resubmit` (a returned line, back to Setnas).
        var action: String
        var capaian: Double?
        var narasi: String?
        var kendala: String?
        var tindakLanjut: String?
        var links: [String]?
        /// Files of the current version to keep, by SHA-256 (all of them when absent).
        var keepEvidence: [String]?
        /// Tickets of files uploaded with `POST /api/v1/bukti`.
        var newEvidence: [String]?
    }

    /// What a change made of the line.
    struct Saved: Encodable {
        let target: Int
        let state: String
        let version: Int
    }

    static let actions: [ReportAction] = [.save, .submitForReview, .resubmit]

    @Sendable func fill(request: Request) async throws -> Response {
        let token = try self.token(request)
        try APIQuery.requireKnown(request, [])
        guard let targetID = request.parameters.get("target", as: Int.self), targetID > 0 else {
            throw APIError(
                status: .notFound, code: "line_not_found", messageKey: "api.error.line_not_found", arguments: [])
        }
        let change: Change
        do {
            change = try request.content.decode(Change.self)
        } catch {
            throw APIError(status: .badRequest, code: "bad_body", messageKey: "api.error.bad_body", arguments: [])
        }
        guard let action = ReportAction(rawValue: change.action), Self.actions.contains(action) else {
            throw APIError.badParameter(
                "action", expected: "api.expected.one_of", Self.actions.map(\.rawValue).joined(separator: ", "))
        }
        let desk = request.reportDesk
        let subject: ReportDesk.Subject
        do {
            subject = try await desk.subject(targetID: targetID)
        } catch let missing as PageError where missing.status == .notFound {
            // Only a line that is not there is "not found"; a database that cannot answer is a 503 (`Unavailability`).
            throw APIError(
                status: .notFound, code: "line_not_found", messageKey: "api.error.line_not_found", arguments: [])
        }
        // Another instansi's line does not exist for this key.
        guard subject.instansi.id == token.$instansi.id else {
            throw APIError(
                status: .notFound, code: "line_not_found", messageKey: "api.error.line_not_found", arguments: [])
        }

        var problems: [String] = []
        if let capaian = change.capaian, case .failure = Quantity.check(capaian) {
            problems.append(request.t("report.error.capaian", String(capaian), request.quantityMaximum))
        }
        let links = (change.links ?? []).flatMap(ReportContentRules.links(in:))
        problems += ReportContentRules.problems(
            narasi: change.narasi ?? "", kendala: change.kendala ?? "", tindakLanjut: change.tindakLanjut ?? "",
            links: links, capaian: change.capaian, kind: subject.indicator.kind
        ).map(request.text(for:))
        let intake = EvidenceIntake(request: request)
        let current = try await desk.currentEvidence(subject.line)
        let keep = change.keepEvidence.map(Set.init) ?? Set(current.map(\.$blob.id))
        var evidence = current.filter { keep.contains($0.$blob.id) }.map(ReportDesk.EvidenceItem.init)
        let tickets = change.newEvidence ?? []
        let accepted = try await intake.pending(tickets)
        if accepted.count != tickets.count { problems.append(request.t("api.error.bad_ticket")) }
        for item in accepted where !evidence.contains(where: { $0.sha256 == item.sha256 }) { evidence.append(item) }
        guard problems.isEmpty else {
            throw APIError(
                status: .unprocessableEntity, code: "invalid_content", messageKey: "api.error.invalid_content",
                arguments: [problems.joined(separator: " ")])
        }
        let content = ReportDesk.Content(
            capaian: change.capaian, narasi: change.narasi ?? "", kendala: change.kendala ?? "",
            tindakLanjut: change.tindakLanjut ?? "", links: links.joined(separator: "\n"), evidence: evidence)
        switch try await desk.perform(action, on: subject, content: content, expectedVersion: change.version) {
        case .success(let line):
            return try APIResponses.json(Saved(target: targetID, state: line.state.rawValue, version: line.version))
        case .failure(.conflict):
            throw APIError(
                status: .conflict, code: "conflict", messageKey: "api.error.conflict",
                arguments: [String(subject.version)])
        case .failure(let problem):
            throw APIError(
                status: problem == .outOfScope ? .forbidden : .unprocessableEntity, code: Self.code(problem),
                messageKey: "api.error.refused", arguments: [request.text(for: problem)])
        }
    }

    static func code(_ problem: ReportDesk.Problem) -> String {
        switch problem {
        case .conflict: "conflict"
        case .refused(.locked): "locked"
        case .refused(.notLocked): "not_locked"
        case .refused(.notFromState): "not_from_state"
        case .refused(.notAllowed), .outOfScope: "not_allowed"
        case .capaianRequired: "capaian_required"
        case .reasonRequired: "reason_required"
        case .verifiedValueRequired: "verified_value_required"
        case .content: "invalid_content"
        }
    }

    // MARK: - Evidence

    struct Ticket: Encodable {
        let sha256: String
        let fileName: String
        let `public`: Bool
        /// Cite the file with this in a change's `newEvidence`; it is good for this key only.
        let ticket: String
    }

    /// One evidence file as the request body (`nama` names it, `publik=true` makes it public once the line is
    /// accepted), checked by content like the web form's; the answer's ticket cites it in a change.
    @Sendable func upload(request: Request) async throws -> Response {
        _ = try self.token(request)
        try APIQuery.requireKnown(request, ["nama", "publik"])
        guard let name = APIQuery.text("nama", in: request), !name.trimmingCharacters(in: .whitespaces).isEmpty,
            name.count <= 255
        else { throw APIError.badParameter("nama", expected: "api.expected.file_name") }
        let isPublic = try APIQuery.choice("publik", in: request, as: Flag.self) == .true
        let body = request.body.data ?? ByteBuffer()
        let file = File(data: body, filename: name)
        let intake = EvidenceIntake(request: request)
        let outcome = try await intake.take([file], isPublic: isPublic)
        guard let item = outcome.accepted.first else {
            throw APIError(
                status: .unprocessableEntity, code: "file_refused", messageKey: "api.error.file_refused",
                arguments: [outcome.problems.first ?? request.t("report.error.file_empty", name)])
        }
        let response = try APIResponses.json(
            Ticket(
                sha256: item.sha256, fileName: item.fileName, public: item.isPublic,
                ticket: intake.pendingToken(item)))
        response.status = .created
        return response
    }

    enum Flag: String, CaseIterable {
        case `true`, `false`
    }

    private func token(_ request: Request) throws -> APIToken {
        guard let token = request.apiToken else {
            throw APIError(
                status: .unauthorized, code: "unauthorized", messageKey: "api.error.unauthorized", arguments: [])
        }
        return token
    }
}
