import Fluent
import StranasCore
import Vapor

/// `/setnas/periode`: Admin Setnas creates cycles, sets their reporting windows, and exports and imports their whole
/// plan as the plan CSV, with a preview before anything changes.
struct CycleAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let plan = routes.requiring(.administerPlan)
        plan.get(SiteURL.cycles, use: self.list)
        plan.post(SiteURL.cycles, use: self.create)
        plan.get(SiteURL.cycle, use: self.show)
        plan.post(SiteURL.cycleWindows, use: self.saveWindows)
        plan.get(SiteURL.planExport, use: self.export)
        plan.on(
            .POST, SiteURL.planUpload, body: .collect(maxSize: ByteCount(value: Self.uploadLimit)),
            use: self.upload
        ).acceptingUploads(upTo: Self.uploadLimit)
        plan.post(SiteURL.planImport, use: self.apply)
        plan.post(SiteURL.cyclePublish, use: self.publish)
        plan.post(SiteURL.cycleVerifikator, use: self.assignVerifikator)
    }

    /// The plan file limit and room for the form around it.
    static let uploadLimit = PlanFile.maximumBytes + 64 * 1024

    // MARK: - Cycles

    struct CycleRow: Encodable {
        let code: String
        let name: String
        let aksiCount: Int
    }

    struct ListPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let cycles: [CycleRow]
        let suggestedStartYear: Int
        let error: String?
    }

    @Sendable func list(request: Request) async throws -> Response {
        try await self.renderList(request, error: nil, status: .ok)
    }

    private func renderList(_ request: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let cycles = try await Cycle.query(on: request.db).sort(\.$startYear).all()
        // A few dozen aksi per cycle: one query for all of them, counted here.
        let aksiPerCycle = Dictionary(
            grouping: try await Aksi.query(on: request.db).field(\.$id).field(\.$cycle.$id).all(),
            by: { $0.$cycle.id })
        let rows = cycles.map {
            CycleRow(code: $0.code, name: $0.name, aksiCount: aksiPerCycle[$0.id ?? 0]?.count ?? 0)
        }
        let page = ListPage(
            page: PageContext(request: request, title: request.t("cycles.title"), cycle: nil),
            csrfToken: request.csrfToken, cycles: rows,
            suggestedStartYear: (cycles.last?.startYear ?? request.application.clock.today.year - 1) + 2, error: error)
        return try await request.view.render("cycles", page).encodeResponse(status: status, for: request)
    }

    struct CreateForm: Content {
        var startYear: String?
        var name: String?
    }

    @Sendable func create(request: Request) async throws -> Response {
        let form = (try? request.content.decode(CreateForm.self)) ?? CreateForm()
        guard let year = Int((form.startYear ?? "").trimmingCharacters(in: .whitespaces)),
            ReportingCalendar.startYears.contains(year)
        else {
            return try await self.renderList(
                request, error: request.t("cycles.error.year"), status: .unprocessableEntity)
        }
        let code = ReportingCalendar.cycleCode(startYear: year)
        if try await Cycle.find(code: code, on: request.db) != nil {
            return try await self.renderList(
                request, error: request.t("cycles.error.exists", code), status: .unprocessableEntity)
        }
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let cycle = try await request.cycleDesk.create(startYear: year, name: String(name.prefix(200)))
        return request.redirect(to: SiteURL.cycle(cycle.code))
    }

    // MARK: - One cycle

    struct WindowRow: Encodable {
        let number: Int
        let label: String
        let period: String
        let opensOn: String
        let dueOn: String
        let locksOn: String
        /// The published results of this triwulan, if any; whether it has ended (and so can be published).
        let resultsURL: String?
        let hasEnded: Bool
        /// Whether its reporting window has locked; publishing before that needs a reason (`ResultPublication`).
        let hasLocked: Bool
        /// The stored dates the form was made from, sent back so that a save over someone else's change is noticed.
        let storedOn: String
    }

    struct CyclePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let code: String
        let name: String
        let windows: [WindowRow]
        let aksiCount: Int
        let notice: String?
        let windowErrors: [String]
        let hasWindowErrors: Bool
        let importProblems: [String]
        let hasImportProblems: Bool
        let preview: Preview?
        let isPublished: Bool
        let publishedOn: String?
        let aksi: [AksiRow]
        let hasAksi: Bool
    }

    struct AksiRow: Encodable {
        let number: Int
        let title: String
        let indicators: [String]
        let verifikatorOptions: [SelectOption]
    }

    struct Preview: Encodable {
        let importID: Int
        let fileName: String
        let added: [String]
        let changed: [String]
        let removed: [String]
        let isEmpty: Bool
        let summary: String
    }

    /// The cycle named by the route's `kode`, or a 404 page.
    static func cycle(_ request: Request) async throws -> Cycle {
        guard let code = request.parameters.get("kode"),
            let cycle = try await Cycle.find(code: code, on: request.db)
        else { throw PageError.notFound("error.cycle_not_found") }
        return cycle
    }

    @Sendable func show(request: Request) async throws -> Response {
        let cycle = try await Self.cycle(request)
        let notice: String? =
            switch (try? request.query.get(String.self, at: "pesan")) ?? "" {
            case "jadwal": request.t("cycle.notice.windows")
            case "impor": request.t("cycle.notice.imported")
            case "terbit": request.t("cycle.notice.published")
            case "verifikator": request.t("cycle.notice.verifikator")
            default: nil
            }
        return try await self.render(request, cycle: cycle, notice: notice)
    }

    private func render(
        _ request: Request, cycle: Cycle, notice: String? = nil, windowErrors: [String] = [],
        submittedWindows: [Int: [String]] = [:], importProblems: [String] = [], preview: Preview? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let cycleID = try cycle.requireID()
        let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycleID).sort(\.$number).all()
        let published = Set(
            try await ResultSnapshot.query(on: request.db).filter(\.$cycle.$id == cycleID).all().map(\.triwulan))
        let today = request.application.clock.today.iso
        let format = request.displayFormat
        let windows = triwulan.map { row in
            let submitted = submittedWindows[row.number]
            return WindowRow(
                number: row.number, label: request.triwulanLabel(number: row.number, startYear: cycle.startYear),
                period: format.dateRange(CalendarDate(iso: row.startsOn)!, CalendarDate(iso: row.endsOn)!),
                opensOn: submitted?[0] ?? row.opensOn, dueOn: submitted?[1] ?? row.dueOn,
                locksOn: submitted?[2] ?? row.locksOn,
                resultsURL: published.contains(row.number)
                    ? SiteURL.resultReport(cycle.code, row.number) : nil,
                hasEnded: row.endsOn < today, hasLocked: row.locksOn < today, storedOn: Self.storedWindow(row))
        }
        let rows = try await self.aksiRows(cycle, request: request)
        let page = CyclePage(
            page: PageContext(request: request, title: cycle.name, cycle: nil), csrfToken: request.csrfToken,
            code: cycle.code, name: cycle.name, windows: windows,
            aksiCount: try await Aksi.query(on: request.db).filter(\.$cycle.$id == cycleID).count(), notice: notice,
            windowErrors: windowErrors, hasWindowErrors: !windowErrors.isEmpty, importProblems: importProblems,
            hasImportProblems: !importProblems.isEmpty,
            preview: preview, isPublished: cycle.isPublished,
            publishedOn: cycle.publishedAt.map { request.displayFormat.timestamp($0) },
            aksi: rows, hasAksi: !rows.isEmpty)
        return try await request.view.render("cycle", page).encodeResponse(status: status, for: request)
    }

    private func aksiRows(_ cycle: Cycle, request: Request) async throws -> [AksiRow] {
        let aksi = try await Aksi.query(on: request.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$number)
            .with(\.$outputs) { $0.with(\.$indicators) }.all()
        let verifikators = try await User.query(on: request.db)
            .join(UserRole.self, on: \User.$id == \UserRole.$user.$id)
            .filter(UserRole.self, \.$role == .verifikatorSetnas)
            .filter(\.$status == .active)
            .sort(\.$name)
            .all()
        let aksiIDs = aksi.compactMap(\.id)
        let assignments =
            aksiIDs.isEmpty
            ? [] : try await VerifikatorAssignment.query(on: request.db).filter(\.$aksi.$id ~~ aksiIDs).all()
        let assigned = Dictionary(assignments.map { ($0.$aksi.id, $0.$user.id) }, uniquingKeysWith: { a, _ in a })
        return aksi.map { row in
            AksiRow(
                number: row.number, title: row.title,
                indicators: row.outputs.flatMap(\.indicators).map(\.code).sorted(by: PlanCode.precedes),
                verifikatorOptions: verifikators.map {
                    SelectOption(value: String($0.id!), label: $0.name, selected: assigned[row.id!] == $0.id)
                })
        }
    }

    // MARK: - Publishing and verifikator

    @Sendable func publish(request: Request) async throws -> Response {
        let cycle = try await Self.cycle(request)
        try await request.cycleDesk.publish(cycle)
        return request.redirect(to: SiteURL.cycle(cycle.code) + "?pesan=terbit")
    }

    struct VerifikatorForm: Content {
        var aksi: Int?
        var user: String?
    }

    /// Names the Verifikator Setnas of an aksi (one per aksi), or none.
    @Sendable func assignVerifikator(request: Request) async throws -> Response {
        let cycle = try await Self.cycle(request)
        let form = (try? request.content.decode(VerifikatorForm.self)) ?? VerifikatorForm()
        guard let number = form.aksi,
            let aksi = try await Aksi.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$number == number).first()
        else { throw PageError.badRequest("error.aksi_not_found", String(form.aksi ?? 0), cycle.code) }
        var verifikator: User?
        if let raw = form.user, !raw.isEmpty {
            guard let id = Int(raw),
                let user = try await User.query(on: request.db).filter(\.$id == id).with(\.$roleRows).first(),
                user.roles.contains(.verifikatorSetnas), user.status == .active
            else { throw PageError.badRequest("error.not_a_verifikator") }
            verifikator = user
        }
        try await request.cycleDesk.assign(verifikator: verifikator, to: aksi, in: cycle)
        return request.redirect(to: SiteURL.cycle(cycle.code) + "?pesan=verifikator")
    }

    // MARK: - Reporting windows

    @Sendable func saveWindows(request: Request) async throws -> Response {
        let cycle = try await Self.cycle(request)
        let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycle.requireID()).all()
        var submitted: [Int: [String]] = [:]
        var errors: [String] = []
        var conflicts: [String] = []
        var parsed: [Int: CycleDesk.Window] = [:]
        for row in triwulan {
            let values = ["opens", "due", "locks"].map {
                ((try? request.content.get(String.self, at: "\($0)_\(row.number)")) ?? "")
                    .trimmingCharacters(in: .whitespaces)
            }
            submitted[row.number] = values
            let label = request.triwulanLabel(number: row.number, startYear: cycle.startYear)
            // Optimistic concurrency: the dates this form was made from must still be the stored ones.
            if let shown = try? request.content.get(String.self, at: "stored_\(row.number)"),
                shown != Self.storedWindow(row)
            {
                let format = request.displayFormat
                let current = [row.opensOn, row.dueOn, row.locksOn].map { format.date(CalendarDate(iso: $0)!) }
                conflicts.append(request.t("cycle.error.conflict", label, current[0], current[1], current[2]))
            }
            let dates = values.map(CalendarDate.init(iso:))
            guard let opens = dates[0], let due = dates[1], let locks = dates[2] else {
                errors.append(request.t("cycle.error.date", label))
                continue
            }
            guard opens <= due, due <= locks else {
                errors.append(request.t("cycle.error.order", label))
                continue
            }
            parsed[row.number] = .init(opens: opens, due: due, locks: locks)
        }
        guard conflicts.isEmpty else {
            return try await self.render(
                request, cycle: cycle, windowErrors: conflicts, submittedWindows: submitted, status: .conflict)
        }
        guard errors.isEmpty else {
            return try await self.render(
                request, cycle: cycle, windowErrors: errors, submittedWindows: submitted, status: .unprocessableEntity)
        }
        try await request.cycleDesk.change(windows: parsed, of: triwulan, in: cycle)
        return request.redirect(to: SiteURL.cycle(cycle.code) + "?pesan=jadwal")
    }

    /// A triwulan's stored window as one form value: "opens/due/locks".
    static func storedWindow(_ row: Triwulan) -> String { "\(row.opensOn)/\(row.dueOn)/\(row.locksOn)" }

    // MARK: - Export and import

    @Sendable func export(request: Request) async throws -> Response {
        let cycle = try await Self.cycle(request)
        let text = PlanFile.write(try await PlanStore(database: request.db).document(for: cycle))
        return CSVDownload.response(text: text, fileName: "rencana-aksi-\(cycle.code).csv")
    }

    struct UploadForm: Content {
        var file: File?
    }

    /// A published plan's structure is frozen: it changes only by target revisions with a reason.
    private func refuseIfPublished(_ cycle: Cycle, request: Request) async throws -> Response? {
        guard cycle.isPublished else { return nil }
        return try await self.render(
            request, cycle: cycle, importProblems: [request.t("cycle.error.published")], status: .conflict)
    }

    @Sendable func upload(request: Request) async throws -> Response {
        let actor = try request.requireSignedIn()
        let cycle = try await Self.cycle(request)
        if let refusal = try await self.refuseIfPublished(cycle, request: request) { return refusal }
        guard let file = (try? request.content.decode(UploadForm.self))?.file, file.data.readableBytes > 0 else {
            return try await self.render(
                request, cycle: cycle, importProblems: [request.t("cycle.error.no_file")], status: .unprocessableEntity)
        }
        let data = Data(buffer: file.data)
        let store = PlanStore(database: request.db)
        switch try await store.read(data, for: cycle) {
        case .failure(let rejection):
            return try await self.render(
                request, cycle: cycle, importProblems: rejection.problems.prefix(200).map(request.text(for:)),
                status: .unprocessableEntity)
        case .success(let document):
            let pending = try await request.planDesk.keep(
                planFile: String(decoding: data, as: UTF8.self), named: file.filename, for: cycle, by: actor.id)
            let changes = PlanChanges.between(try await store.document(for: cycle), document)
            return try await self.render(
                request, cycle: cycle,
                preview: Preview(
                    importID: try pending.requireID(), fileName: pending.fileName, added: changes.added,
                    changed: changes.changed, removed: changes.removed, isEmpty: changes.isEmpty,
                    summary: request.t(
                        "cycle.preview.summary", String(changes.added.count), String(changes.changed.count),
                        String(changes.removed.count))))
        }
    }

    @Sendable func apply(request: Request) async throws -> Response {
        let cycle = try await Self.cycle(request)
        guard let id = request.parameters.get("id", as: Int.self),
            let pending = try await PlanImport.find(id, on: request.db),
            pending.$cycle.id == cycle.id, pending.appliedAt == nil
        else { throw PageError.notFound("error.import_not_found") }
        if let refusal = try await self.refuseIfPublished(cycle, request: request) { return refusal }
        let store = PlanStore(database: request.db)
        // Checked again: instansi may have changed since the preview.
        switch try await store.read(Data(pending.content.utf8), for: cycle) {
        case .failure(let rejection):
            return try await self.render(
                request, cycle: cycle, importProblems: rejection.problems.prefix(200).map(request.text(for:)),
                status: .unprocessableEntity)
        case .success(let document):
            try await request.planDesk.apply(pending, reading: document, to: cycle)
            return request.redirect(to: SiteURL.cycle(cycle.code) + "?pesan=impor")
        }
    }
}
