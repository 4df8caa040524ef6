import Fluent
import StranasCore
import Vapor

/// `/setnas/periode/{kode}/target/{indikator}`: one indicator's targets as a grid of instansi × triwulan. In a
/// published cycle every change needs a written reason and is kept as a revision that the public aksi page shows.
struct TargetGridController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let plan = routes.requiring(.administerPlan)
        plan.get(SiteURL.targetGrid, use: self.show)
        plan.post(SiteURL.targetGrid, use: self.save)
    }

    struct Row: Encodable {
        let instansiID: Int
        let name: String
        let cells: [Cell]
    }

    struct Cell: Encodable {
        let name: String
        let value: String
        /// The stored value when the page was made, sent back so that a save can tell whether someone else changed
        /// the cell in the meantime.
        let original: String
        let label: String
    }

    struct GridPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let cycleCode: String
        let isPublished: Bool
        let indicatorCode: String
        let description: String
        let unit: String
        let columns: [TriwulanColumn]
        let rows: [Row]
        let reason: String
        let errors: [String]
        let hasErrors: Bool
        let saved: Bool
    }

    private struct Grid {
        let cycle: Cycle
        let indicator: Indicator
        let triwulan: [Triwulan]
        let instansi: [Instansi]
        let targets: [Target]
    }

    private func load(_ request: Request) async throws -> Grid {
        let cycle = try await CycleAdminController.cycle(request)
        guard let indicatorCode = request.parameters.get("indikator") else { throw PageError.notFound() }
        let cycleID = try cycle.requireID()
        guard
            let indicator = try await Indicator.query(on: request.db)
                .join(PlanOutput.self, on: \Indicator.$output.$id == \PlanOutput.$id)
                .join(Aksi.self, on: \PlanOutput.$aksi.$id == \Aksi.$id)
                .filter(Aksi.self, \.$cycle.$id == cycleID)
                .filter(\.$code == indicatorCode)
                .first()
        else { throw PageError.notFound() }
        let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycleID).sort(\.$number).all()
        // The instansi assigned to the indicator's output, and any other instansi that has a target on it.
        let assigned = try await Pelaksana.query(on: request.db).filter(\.$output.$id == indicator.$output.id).all()
            .map { $0.$instansi.id }
        let targets = try await Target.query(on: request.db).filter(\.$indicator.$id == indicator.requireID()).all()
        let ids = Array(Set(assigned + targets.map { $0.$instansi.id }))
        let instansi = ids.isEmpty ? [] : try await Instansi.query(on: request.db).filter(\.$id ~~ ids).all()
        let kinds = InstansiKind.allCases
        return Grid(
            cycle: cycle, indicator: indicator, triwulan: triwulan,
            instansi: instansi.sorted {
                (kinds.firstIndex(of: $0.kind)!, $0.name) < (kinds.firstIndex(of: $1.kind)!, $1.name)
            }, targets: targets)
    }

    private func render(
        _ request: Request, grid: Grid, submitted: [String: String] = [:], reason: String = "", errors: [String] = [],
        saved: Bool = false, status: HTTPStatus = .ok
    ) async throws -> Response {
        // The originals always describe the database now, so that a form shown again after a conflict saves cleanly.
        let format = request.displayFormat
        let current = Dictionary(
            grid.targets.map { ("\($0.$instansi.id)|\($0.$triwulan.id)", $0.value) }, uniquingKeysWith: { a, _ in a })
        let rows = grid.instansi.map { instansi in
            Row(
                instansiID: instansi.id!, name: instansi.name,
                cells: grid.triwulan.map { triwulan in
                    let name = "t_\(instansi.id!)_\(triwulan.number)"
                    let stored = current["\(instansi.id!)|\(triwulan.id!)"].map {
                        format.number($0, maximumFractionDigits: 6)
                    }
                    return Cell(
                        name: name, value: submitted[name] ?? stored ?? "", original: stored ?? "",
                        label:
                            "\(instansi.name), \(request.triwulanLabel(number: triwulan.number, startYear: grid.cycle.startYear))"
                    )
                })
        }
        let page = GridPage(
            page: PageContext(request: request, title: request.t("grid.title", grid.indicator.code), cycle: nil),
            csrfToken: request.csrfToken, cycleCode: grid.cycle.code, isPublished: grid.cycle.isPublished,
            indicatorCode: grid.indicator.code, description: grid.indicator.description, unit: grid.indicator.unit,
            columns: TriwulanColumn.columns(startYear: grid.cycle.startYear, request: request),
            rows: rows, reason: reason, errors: errors, hasErrors: !errors.isEmpty, saved: saved)
        return try await request.view.render("target-grid", page).encodeResponse(status: status, for: request)
    }

    /// A value as it stands in an input: no thousands grouping (so it reads back unambiguously), and a decimal comma
    /// for Indonesian readers.
    static func inputText(_ value: Double, request: Request) -> String {
        let text = PlanFile.format(value)
        return request.language == .id ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    @Sendable func show(request: Request) async throws -> Response {
        let saved = (try? request.query.get(String.self, at: "pesan")) == "tersimpan"
        return try await self.render(request, grid: try await self.load(request), saved: saved)
    }

    @Sendable func save(request: Request) async throws -> Response {
        let actor = try request.requireSignedIn()
        let grid = try await self.load(request)
        let indicatorID = try grid.indicator.requireID()
        let reason = String(((try? request.content.get(String.self, at: "reason")) ?? "").prefix(4000))
        var submitted: [String: String] = [:]
        var errors: [String] = []
        // The wanted value of every cell: nil for an empty cell (no target).
        var wanted: [(instansi: Instansi, triwulan: Triwulan, value: Double?)] = []
        for instansi in grid.instansi {
            for triwulan in grid.triwulan {
                let name = "t_\(instansi.id!)_\(triwulan.number)"
                let raw = ((try? request.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces)
                submitted[name] = raw
                if raw.isEmpty {
                    wanted.append((instansi, triwulan, nil))
                } else if case .success(let value) = Quantity.read(raw) {
                    wanted.append((instansi, triwulan, value))
                } else {
                    errors.append(
                        request.t(
                            "grid.error.number", instansi.name,
                            request.triwulanLabel(number: triwulan.number, startYear: grid.cycle.startYear), raw,
                            request.quantityMaximum))
                }
            }
        }
        let existing = Dictionary(
            grid.targets.map { ("\($0.$instansi.id)|\($0.$triwulan.id)", $0) }, uniquingKeysWith: { a, _ in a })
        // Optimistic concurrency: a cell whose stored value is no longer the one this form was made from was changed
        // by someone else meanwhile. Nothing is saved; the other person's values are named, and the input is kept.
        let format = request.displayFormat
        var conflicts: [String] = []
        for instansi in grid.instansi {
            for triwulan in grid.triwulan {
                let name = "t_\(instansi.id!)_\(triwulan.number)"
                guard let shown = try? request.content.get(String.self, at: "o_" + name) else { continue }
                let current = existing["\(instansi.id!)|\(triwulan.id!)"]?.value
                let original = shown.isEmpty ? nil : try? Quantity.read(shown).get()
                if original != current {
                    conflicts.append(
                        request.t(
                            "grid.error.conflict", instansi.name,
                            request.triwulanLabel(number: triwulan.number, startYear: grid.cycle.startYear),
                            current.map { format.number($0) } ?? "–"))
                }
            }
        }
        if !conflicts.isEmpty {
            return try await self.render(
                request, grid: grid, submitted: submitted, reason: reason, errors: conflicts, status: .conflict)
        }
        let changes = wanted.filter { existing["\($0.instansi.id!)|\($0.triwulan.id!)"]?.value != $0.value }
        if errors.isEmpty,
            let problem = TargetRevisionPolicy.problem(
                isPublished: grid.cycle.isPublished, hasChanges: !changes.isEmpty, reason: reason)
        {
            errors.append(
                problem == .reasonRequired
                    ? request.t("grid.error.reason", String(TargetRevisionPolicy.minimumReasonLength))
                    : request.t("grid.error.reason_long", String(TargetRevisionPolicy.maximumReasonLength)))
        }
        guard errors.isEmpty else {
            return try await self.render(
                request, grid: grid, submitted: submitted, reason: reason, errors: errors, status: .unprocessableEntity)
        }

        try await request.planDesk.revise(
            changes.map { change in
                PlanDesk.TargetChange(
                    instansiID: change.instansi.id!, instansiName: change.instansi.name,
                    triwulanID: change.triwulan.id!,
                    triwulanNumber: change.triwulan.number,
                    stored: existing["\(change.instansi.id!)|\(change.triwulan.id!)"], value: change.value)
            }, of: grid.indicator, in: grid.cycle, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        return request.redirect(
            to: SiteURL.targetGrid(grid.cycle.code, grid.indicator.code, query: [("pesan", "tersimpan")]))
    }
}
