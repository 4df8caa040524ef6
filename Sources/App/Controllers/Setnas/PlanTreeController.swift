import Crypto
import Fluent
import StranasCore
import Vapor

/// `/setnas/periode/{kode}/rencana`: Admin Setnas builds a draft plan's tree item by item (fokus, aksi, output,
/// indikator: add, edit, move, remove) and its pelaksana. Each edit is made on the plan as data (`PlanDocument`) and
/// applied like an import, with its audit entry, so that the editor and the CSV follow one set of rules. After
/// publication the tree is read-only, except for mapping an indicator to its predecessor.
struct PlanTreeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let plan = routes.requiring(.administerPlan)
        plan.get(SiteURL.planTree, use: self.tree)
        plan.get(SiteURL.planItemNew, use: self.newItem)
        plan.post(SiteURL.planItemNew, use: self.create)
        plan.get(SiteURL.planItem, use: self.edit)
        plan.post(SiteURL.planItem, use: self.update)
        plan.post(SiteURL.planItemMove, use: self.move)
        plan.post(SiteURL.planItemRemove, use: self.remove)
        plan.post(SiteURL.planItemPelaksana, use: self.assign)
        // Under `:tingkat` like the rest: the router does not fall back from a constant segment to a parameter.
        plan.post(SiteURL.planItemPredecessor, use: self.mapPredecessor)
    }

    // MARK: - The tree

    struct Node: Encodable {
        let level: String
        let code: String
        let title: String
        let detail: String?
        let editURL: String
        let moveURL: String
        let children: [Node]
        let hasChildren: Bool
        let addURL: String?
        let addLabel: String?
        let isFirst: Bool
        let isLast: Bool
        let predecessor: String?
    }

    struct TreePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let cycleCode: String
        let cycleName: String
        let isPublished: Bool
        let version: String
        let notice: String?
        let fokus: [Node]
        let hasFokus: Bool
        let addFokusURL: String
        let predecessorOptions: [SelectOption]
        let hasPredecessorOptions: Bool
        let previousCycleCode: String?
    }

    @Sendable func tree(request: Request) async throws -> Response {
        let cycle = try await CycleAdminController.cycle(request)
        let store = PlanStore(database: request.db)
        let document = try await store.document(for: cycle)
        let code = cycle.code
        func edit(_ level: String, _ item: String) -> String { SiteURL.planItem(code, level, item) }
        func move(_ level: String, _ item: String) -> String { SiteURL.planItemMove(code, level, item) }
        func add(_ level: String, under parent: String) -> String {
            SiteURL.planItemNew(code, level, query: [("induk", parent)])
        }
        func siblings<T>(_ items: [T], _ index: Int, same: (T, T) -> Bool) -> (Bool, Bool) {
            (
                !items[..<index].contains { same($0, items[index]) },
                !items[(index + 1)...].contains { same($0, items[index]) }
            )
        }
        let format = request.displayFormat
        let indicatorNodes = document.indicators.enumerated().map { index, item in
            let (first, last) = siblings(document.indicators, index) { $0.outputCode == $1.outputCode }
            return (
                item.outputCode,
                Node(
                    level: "indikator", code: item.code, title: item.description,
                    detail: request.t(
                        "tree.indicator_detail", request.t("indicator.kind.\(item.kind.rawValue)"), item.unit,
                        format.number(item.weight), format.number(item.finalTarget)),
                    editURL: edit("indikator", item.code),
                    moveURL: move("indikator", item.code), children: [], hasChildren: false, addURL: nil,
                    addLabel: nil, isFirst: first, isLast: last, predecessor: item.predecessorCode)
            )
        }
        let outputNodes = document.outputs.enumerated().map { index, item in
            let (first, last) = siblings(document.outputs, index) { $0.aksiNumber == $1.aksiNumber }
            let children = indicatorNodes.filter { $0.0 == item.code }.map(\.1)
            return (
                item.aksiNumber,
                Node(
                    level: "output", code: item.code, title: item.title, detail: nil,
                    editURL: edit("output", item.code),
                    moveURL: move("output", item.code), children: children, hasChildren: !children.isEmpty,
                    addURL: add("indikator", under: item.code), addLabel: request.t("tree.add.indikator"),
                    isFirst: first, isLast: last, predecessor: nil)
            )
        }
        let aksiNodes = document.aksi.enumerated().map { index, item in
            let (first, last) = siblings(document.aksi, index) { $0.fokusCode == $1.fokusCode }
            let children = outputNodes.filter { $0.0 == item.number }.map(\.1)
            let pelaksana = document.assignments.filter { $0.parentCode == String(item.number) }.count
            return (
                item.fokusCode,
                Node(
                    level: "aksi", code: String(item.number), title: item.title,
                    detail: request.t("tree.aksi_detail", String(pelaksana)),
                    editURL: edit("aksi", String(item.number)),
                    moveURL: move("aksi", String(item.number)), children: children, hasChildren: !children.isEmpty,
                    addURL: add("output", under: String(item.number)), addLabel: request.t("tree.add.output"),
                    isFirst: first, isLast: last, predecessor: nil)
            )
        }
        let fokusNodes = document.fokus.enumerated().map { index, item in
            let children = aksiNodes.filter { $0.0 == item.code }.map(\.1)
            return Node(
                level: "fokus", code: item.code, title: item.name, detail: nil, editURL: edit("fokus", item.code),
                moveURL: move("fokus", item.code),
                children: children, hasChildren: !children.isEmpty, addURL: add("aksi", under: item.code),
                addLabel: request.t("tree.add.aksi"), isFirst: index == 0, isLast: index == document.fokus.count - 1,
                predecessor: nil)
        }
        let previous = try await store.previousCycle(of: cycle)
        var predecessorOptions: [PlanDocument.Indicator] = []
        if let previous { predecessorOptions = try await store.document(for: previous).indicators }
        let notice: String? =
            switch (try? request.query.get(String.self, at: "pesan")) ?? "" {
            case "tersimpan": request.t("tree.notice.saved")
            case "pendahulu": request.t("tree.notice.predecessor")
            default: nil
            }
        let page = TreePage(
            page: PageContext(request: request, title: request.t("tree.title", cycle.code), cycle: nil),
            csrfToken: request.csrfToken, cycleCode: cycle.code, cycleName: cycle.name,
            isPublished: cycle.isPublished, version: Self.version(of: document), notice: notice, fokus: fokusNodes,
            hasFokus: !fokusNodes.isEmpty, addFokusURL: SiteURL.planItemNew(code, "fokus"),
            predecessorOptions: predecessorOptions.map {
                SelectOption(value: $0.code, label: "\($0.code) \($0.description)", selected: false)
            },
            hasPredecessorOptions: !predecessorOptions.isEmpty, previousCycleCode: previous?.code)
        return try await request.view.render("plan-tree", page).encodeResponse(for: request)
    }

    /// A fingerprint of the whole plan, carried by every form: an edit made from a page that no longer shows the plan
    /// as it is (codes move when items are added, moved or removed) is refused instead of hitting the wrong item.
    static func version(of document: PlanDocument) -> String {
        String(SHA256.hash(data: Data(PlanFile.write(document).utf8)).hex.prefix(16))
    }

    // MARK: - One item

    struct ItemPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let cycleCode: String
        let isPublished: Bool
        let version: String
        let level: String
        let levelLabel: String
        let isNew: Bool
        let code: String?
        let parentCode: String?
        let heading: String
        let title: String
        let isAksi: Bool
        let isIndicator: Bool
        let hasPelaksana: Bool
        let fokusOptions: [SelectOption]
        let unit: String
        let kindOptions: [SelectOption]
        let weight: String
        let finalTarget: String
        let errors: [String]
        let hasErrors: Bool
        let pelaksana: [PelaksanaRow]
        let hasPelaksanaRows: Bool
        let instansiOptions: [SelectOption]
        let roleOptions: [SelectOption]
    }

    struct PelaksanaRow: Encodable {
        let instansi: String
        let role: String
    }

    /// What the item form sends.
    struct ItemForm: Content {
        var versi: String?
        var induk: String?
        var judul: String?
        var fokus: String?
        var satuan: String?
        var tipe: String?
        var bobot: String?
        var targetAkhir: String?
    }

    private struct Loaded {
        let cycle: Cycle
        let store: PlanStore
        let document: PlanDocument
        let level: PlanLevel
    }

    private func load(_ request: Request) async throws -> Loaded {
        let cycle = try await CycleAdminController.cycle(request)
        guard let raw = request.parameters.get("tingkat"), let level = PlanLevel(rawValue: raw) else {
            throw PageError.notFound()
        }
        let store = PlanStore(database: request.db)
        return Loaded(cycle: cycle, store: store, document: try await store.document(for: cycle), level: level)
    }

    @Sendable func newItem(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let parent = try? request.query.get(String.self, at: "induk")
        try self.requireParent(loaded, parent)
        return try await self.renderItem(request, loaded, code: nil, form: ItemForm(induk: parent))
    }

    @Sendable func edit(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let code = request.parameters.get("item") ?? ""
        return try await self.renderItem(request, loaded, code: code, form: try self.formValues(loaded, code: code))
    }

    private func requireParent(_ loaded: Loaded, _ parent: String?) throws {
        let document = loaded.document
        let found: Bool =
            switch loaded.level {
            case .fokus: true
            case .aksi: document.fokus.contains { $0.code == parent }
            case .output: document.aksi.contains { String($0.number) == parent }
            case .indikator: document.outputs.contains { $0.code == parent }
            }
        guard found else { throw PageError.notFound("error.plan_item_not_found", parent ?? "") }
    }

    /// The stored values of an item, as its form shows them.
    private func formValues(_ loaded: Loaded, code: String) throws -> ItemForm {
        let document = loaded.document
        switch loaded.level {
        case .fokus:
            guard let item = document.fokus.first(where: { $0.code == code }) else { break }
            return ItemForm(judul: item.name)
        case .aksi:
            guard let item = document.aksi.first(where: { String($0.number) == code }) else { break }
            return ItemForm(judul: item.title, fokus: item.fokusCode)
        case .output:
            guard let item = document.outputs.first(where: { $0.code == code }) else { break }
            return ItemForm(judul: item.title)
        case .indikator:
            guard let item = document.indicators.first(where: { $0.code == code }) else { break }
            return ItemForm(
                judul: item.description, satuan: item.unit, tipe: item.kind.rawValue,
                bobot: PlanFile.format(item.weight), targetAkhir: PlanFile.format(item.finalTarget))
        }
        throw PageError.notFound("error.plan_item_not_found", code)
    }

    private func renderItem(
        _ request: Request, _ loaded: Loaded, code: String?, form: ItemForm, errors: [String] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let level = loaded.level
        let document = loaded.document
        let levelLabel = request.t("tree.level.\(level.rawValue)")
        let parentCode = code.map { PlanLevel.parentCode(of: $0, level: level, in: document) } ?? form.induk
        let assignments = code.map { code in document.assignments.filter { $0.parentCode == code } } ?? []
        let hasPelaksana = code != nil && (level == .aksi || level == .output)
        let instansi =
            hasPelaksana
            ? try await Instansi.query(on: request.db).filter(\.$isActive == true).sort(\.$kind).sort(\.$name).all()
            : []
        let page = ItemPage(
            page: PageContext(request: request, title: "\(levelLabel) \(code ?? "")", cycle: nil),
            csrfToken: request.csrfToken, cycleCode: loaded.cycle.code, isPublished: loaded.cycle.isPublished,
            version: Self.version(of: document), level: level.rawValue, levelLabel: levelLabel, isNew: code == nil,
            code: code, parentCode: parentCode,
            heading: code.map { "\(levelLabel) \($0)" } ?? request.t("tree.add.\(level.rawValue)"),
            title: form.judul ?? "", isAksi: level == .aksi, isIndicator: level == .indikator,
            hasPelaksana: hasPelaksana,
            fokusOptions: document.fokus.map {
                SelectOption(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == form.fokus)
            },
            unit: form.satuan ?? "",
            kindOptions: IndicatorKind.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: request.t("indicator.kind.\($0.rawValue)"),
                    selected: $0.rawValue == form.tipe)
            },
            weight: form.bobot ?? "1", finalTarget: form.targetAkhir ?? "", errors: errors,
            hasErrors: !errors.isEmpty,
            pelaksana: assignments.map {
                PelaksanaRow(instansi: $0.instansi, role: request.t("role.\($0.role.rawValue)"))
            },
            hasPelaksanaRows: !assignments.isEmpty,
            instansiOptions: instansi.map { SelectOption(value: $0.name, label: $0.name, selected: false) },
            roleOptions: PelaksanaRole.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: request.t("role.\($0.rawValue)"), selected: $0 == .pelaksana)
            })
        return try await request.view.render("plan-item", page).encodeResponse(status: status, for: request)
    }

    // MARK: - Changes

    /// Reads and checks the item form: the title, and an indicator's fields.
    private func validated(
        _ form: ItemForm, level: PlanLevel, request: Request
    ) -> (
        String, PlanDocument.IndicatorFields?, [String]
    ) {
        var errors: [String] = []
        let title = (form.judul ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch PlanItemRules.problem(withTitle: title) {
        case .titleMissing: errors.append(request.t("tree.error.title"))
        case .titleTooLong:
            errors.append(
                request.t(
                    "tree.error.title_long", request.displayFormat.number(Double(PlanItemRules.maximumTitleLength))))
        case .unitMissingOrTooLong, nil: break
        }
        guard level == .indikator else { return (title, nil, errors) }
        let unit = (form.satuan ?? "").trimmingCharacters(in: .whitespaces)
        if PlanItemRules.problem(withUnit: unit) != nil {
            errors.append(
                request.t("tree.error.unit", request.displayFormat.number(Double(PlanItemRules.maximumUnitLength))))
        }
        let kind = IndicatorKind(rawValue: form.tipe ?? "")
        if kind == nil { errors.append(request.t("tree.error.kind")) }
        let weightText = (form.bobot ?? "").trimmingCharacters(in: .whitespaces)
        let weight = try? Quantity.read(weightText, positive: true).get()
        if weight == nil { errors.append(request.t("tree.error.weight", weightText, request.quantityMaximum)) }
        let finalText = (form.targetAkhir ?? "").trimmingCharacters(in: .whitespaces)
        let final = try? Quantity.read(finalText).get()
        if final == nil { errors.append(request.t("tree.error.final_target", finalText, request.quantityMaximum)) }
        guard errors.isEmpty, let kind, let weight, let final else { return (title, nil, errors) }
        return (title, .init(unit: unit, kind: kind, weight: weight, finalTarget: final), errors)
    }

    /// Refuses an edit of a published plan, or one made from a page that shows an older plan.
    private func checkEditable(_ loaded: Loaded, version: String?, request: Request) throws {
        guard !loaded.cycle.isPublished else {
            throw PageError(status: .conflict, messageKey: "tree.error.published", arguments: [loaded.cycle.code])
        }
        guard version == Self.version(of: loaded.document) else {
            throw PageError(
                status: .conflict, messageKey: "tree.error.stale", arguments: [SiteURL.planTree(loaded.cycle.code)])
        }
    }

    /// Applies an edited plan with its audit entry, then goes back to the tree at `anchor` (or to `returnTo`).
    private func save(
        _ edited: PlanDocument, _ loaded: Loaded, subject: String, anchor: String, returnTo: String? = nil,
        request: Request
    ) async throws -> Response {
        try await request.planDesk.edit(loaded.document, into: edited, of: loaded.cycle, subject: subject)
        return request.redirect(
            to: returnTo ?? SiteURL.planTree(loaded.cycle.code, query: [("pesan", "tersimpan")], fragment: anchor))
    }

    @Sendable func create(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let form = (try? request.content.decode(ItemForm.self)) ?? ItemForm()
        try self.checkEditable(loaded, version: form.versi, request: request)
        let parent = loaded.level == .fokus ? nil : form.induk
        try self.requireParent(loaded, parent)
        let (title, fields, errors) = self.validated(form, level: loaded.level, request: request)
        guard errors.isEmpty else {
            return try await self.renderItem(
                request, loaded, code: nil, form: form, errors: errors, status: .unprocessableEntity)
        }
        var edited = loaded.document
        let code = try edited.add(loaded.level, under: parent, title: title, indicator: fields)
        return try await self.save(
            edited, loaded, subject: "\(loaded.level.rawValue) \(code)", anchor: "\(loaded.level.rawValue)-\(code)",
            request: request)
    }

    @Sendable func update(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let code = request.parameters.get("item") ?? ""
        _ = try self.formValues(loaded, code: code)
        let form = (try? request.content.decode(ItemForm.self)) ?? ItemForm()
        try self.checkEditable(loaded, version: form.versi, request: request)
        let (title, fields, errors) = self.validated(form, level: loaded.level, request: request)
        guard errors.isEmpty else {
            return try await self.renderItem(
                request, loaded, code: code, form: form, errors: errors, status: .unprocessableEntity)
        }
        var edited = loaded.document
        try edited.update(loaded.level, code: code, title: title, fokusCode: form.fokus, indicator: fields)
        return try await self.save(
            edited, loaded, subject: "\(loaded.level.rawValue) \(code)", anchor: "\(loaded.level.rawValue)-\(code)",
            request: request)
    }

    @Sendable func move(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let code = request.parameters.get("item") ?? ""
        _ = try self.formValues(loaded, code: code)
        try self.checkEditable(loaded, version: try? request.content.get(String.self, at: "versi"), request: request)
        let up = (try? request.content.get(String.self, at: "arah")) == "naik"
        var edited = loaded.document
        try edited.move(loaded.level, code: code, up: up)
        return try await self.save(
            edited, loaded, subject: "\(loaded.level.rawValue) \(code) \(up ? "↑" : "↓")",
            anchor: loaded.level.rawValue,
            request: request)
    }

    @Sendable func remove(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let code = request.parameters.get("item") ?? ""
        _ = try self.formValues(loaded, code: code)
        try self.checkEditable(loaded, version: try? request.content.get(String.self, at: "versi"), request: request)
        var edited = loaded.document
        try edited.remove(loaded.level, code: code)
        return try await self.save(
            edited, loaded, subject: "\(loaded.level.rawValue) \(code) dihapus", anchor: "rencana", request: request)
    }

    struct AssignForm: Content {
        var versi: String?
        var instansi: String?
        var peran: String?
        var lepas: String?
    }

    /// Adds an instansi as pelaksana of the aksi or output (or changes its role), or ends an assignment (`lepas`).
    @Sendable func assign(request: Request) async throws -> Response {
        let loaded = try await self.load(request)
        let code = request.parameters.get("item") ?? ""
        guard loaded.level == .aksi || loaded.level == .output else { throw PageError.notFound() }
        _ = try self.formValues(loaded, code: code)
        let form = (try? request.content.decode(AssignForm.self)) ?? AssignForm()
        try self.checkEditable(loaded, version: form.versi, request: request)
        var edited = loaded.document
        if let name = form.lepas, !name.isEmpty {
            edited.unassign(name, from: code)
        } else {
            let index = try await loaded.store.instansiIndex()
            guard let name = form.instansi, index.references.contains(name),
                let role = PelaksanaRole(rawValue: form.peran ?? "")
            else {
                return try await self.renderItem(
                    request, loaded, code: code, form: try self.formValues(loaded, code: code),
                    errors: [request.t("tree.error.pelaksana")], status: .unprocessableEntity)
            }
            try edited.assign(name, to: code, as: role)
        }
        return try await self.save(
            edited, loaded, subject: "\(loaded.level.rawValue) \(code) pelaksana", anchor: "pelaksana",
            returnTo: SiteURL.planItem(loaded.cycle.code, loaded.level.rawValue, code, fragment: "pelaksana"),
            request: request)
    }

    /// Names the indicator's predecessor in the previous cycle (or none). Open after publication too: it changes no
    /// target, it links two cycles' measures so that trends can be followed.
    @Sendable func mapPredecessor(request: Request) async throws -> Response {
        let cycle = try await CycleAdminController.cycle(request)
        guard request.parameters.get("tingkat") == PlanLevel.indikator.rawValue else { throw PageError.notFound() }
        let store = PlanStore(database: request.db)
        let code = request.parameters.get("item") ?? ""
        guard let indicatorID = try await store.indicatorIDs(of: cycle)[code],
            let indicator = try await Indicator.find(indicatorID, on: request.db)
        else { throw PageError.notFound("error.plan_item_not_found", code) }
        let chosen = ((try? request.content.get(String.self, at: "pendahulu")) ?? "")
            .trimmingCharacters(in: .whitespaces)
        var predecessorID: Int?
        if !chosen.isEmpty {
            guard let id = try await store.previousIndicatorIDs(of: cycle)[chosen] else {
                throw PageError.badRequest("planfile.unknown_predecessor", chosen)
            }
            predecessorID = id
        }
        guard indicator.$predecessor.id != predecessorID else {
            return request.redirect(
                to: SiteURL.planTree(cycle.code, query: [("pesan", "pendahulu")], fragment: "indikator-\(code)"))
        }
        try await request.planDesk.map(
            indicator, code: code, toPredecessor: predecessorID, predecessorCode: chosen.isEmpty ? nil : chosen,
            in: cycle)
        return request.redirect(
            to: SiteURL.planTree(cycle.code, query: [("pesan", "pendahulu")], fragment: "indikator-\(code)"))
    }
}

extension PlanLevel {
    /// The code of an item's parent: the fokus of an aksi, the aksi of an output, the output of an indicator.
    static func parentCode(of code: String, level: PlanLevel, in document: PlanDocument) -> String? {
        switch level {
        case .fokus: nil
        case .aksi: document.aksi.first { String($0.number) == code }?.fokusCode
        case .output, .indikator: PlanCode.parent(of: code)
        }
    }
}
