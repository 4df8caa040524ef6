import Fluent
import StranasCore
import Vapor

/// `/setnas/instansi`: Admin Setnas adds instansi and records what happens to them: a new name, the end of one, a
/// merger into another, a split that forms a new one. Nothing is deleted: older cycles still name who carried their
/// aksi, and the public instansi page shows the history.
struct InstansiAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.requiring(.administerPlan)
        admin.get(SiteURL.instansiAdmin, use: self.list)
        admin.post(SiteURL.instansiAdmin, use: self.create)
        admin.get(SiteURL.instansiManage, use: self.show)
        admin.post(SiteURL.instansiChange, use: self.change)
    }

    /// What a form sends; each form uses the fields it needs.
    struct FormValues: Content, Encodable {
        var jenis: String?
        var nama: String?
        var singkatan: String?
        var provinsi: String?
        var ke: String?
        var tanggal: String?
        var catatan: String?
    }

    // MARK: - List and create

    struct Row: Encodable {
        let id: Int
        let name: String
        let abbreviation: String?
        let kind: String
        let isActive: Bool
    }

    struct ListPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let query: String
        let rows: [Row]
        let kindOptions: [SelectOption]
        let provinceOptions: [SelectOption]
        let form: FormValues
        let errors: [String]
        let hasErrors: Bool
    }

    @Sendable func list(request: Request) async throws -> Response {
        try await self.renderList(request, form: FormValues(), errors: [], status: .ok)
    }

    private func renderList(
        _ request: Request, form: FormValues, errors: [String], status: HTTPStatus
    ) async throws
        -> Response
    {
        let query = ((try? request.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
        let all = try await Instansi.query(on: request.db).sort(\.$kind).sort(\.$name).all()
        let shown =
            query.isEmpty
            ? all : all.filter { ($0.name + " " + ($0.abbreviation ?? "")).localizedCaseInsensitiveContains(query) }
        let page = ListPage(
            page: PageContext(request: request, title: request.t("instansi_admin.title"), cycle: nil),
            csrfToken: request.csrfToken, query: query,
            rows: shown.map {
                Row(
                    id: $0.id!, name: $0.name, abbreviation: $0.abbreviation, kind: request.label($0.kind),
                    isActive: $0.isActive)
            },
            kindOptions: InstansiKind.allCases.map {
                SelectOption(value: $0.rawValue, label: request.label($0), selected: $0.rawValue == form.jenis)
            },
            provinceOptions: all.filter { $0.kind == .provinsi && $0.isActive }.map {
                SelectOption(value: String($0.id!), label: $0.name, selected: String($0.id!) == form.provinsi)
            },
            form: form, errors: errors, hasErrors: !errors.isEmpty)
        return try await request.view.render("instansi-admin", page).encodeResponse(status: status, for: request)
    }

    @Sendable func create(request: Request) async throws -> Response {
        let form = (try? request.content.decode(FormValues.self)) ?? FormValues()
        var errors: [String] = []
        let kind = InstansiKind(rawValue: form.jenis ?? "")
        if kind == nil { errors.append(request.t("instansi_admin.error.kind")) }
        let name = try await self.checkedName(form.nama, kind: kind, errors: &errors, request: request)
        var province: Instansi?
        if kind == .kabkota {
            if let id = Int(form.provinsi ?? "") {
                province = try await Instansi.query(on: request.db).filter(\.$id == id).filter(\.$kind == .provinsi)
                    .first()
            }
            if province == nil { errors.append(request.t("instansi_admin.error.province")) }
        }
        let parent = province
        let date = self.checkedDate(form.tanggal, errors: &errors, request: request)
        guard errors.isEmpty, let kind, let name, let date else {
            return try await self.renderList(request, form: form, errors: errors, status: .unprocessableEntity)
        }
        let instansi = try await request.instansiRegistry.add(
            kind: kind, name: name, abbreviation: self.abbreviation(form.singkatan), parent: parent, on: date,
            note: self.note(form.catatan))
        return request.redirect(to: SiteURL.instansiManage(try instansi.requireID(), query: [("pesan", "tersimpan")]))
    }

    // MARK: - One instansi

    struct ShowPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let id: Int
        let name: String
        let abbreviation: String?
        let kind: String
        let isActive: Bool
        let today: String
        let notice: String?
        let action: String?
        let form: FormValues
        let errors: [String]
        let hasErrors: Bool
        let mergeOptions: [SelectOption]
        let history: [InstansiController.HistoryLine]
        let hasHistory: Bool
    }

    @Sendable func show(request: Request) async throws -> Response {
        let instansi = try await self.instansi(request)
        let notice =
            (try? request.query.get(String.self, at: "pesan")) == "tersimpan" ? request.t("instansi_admin.saved") : nil
        return try await self.renderShow(request, instansi, notice: notice, action: nil, form: FormValues(), errors: [])
    }

    private func instansi(_ request: Request) async throws -> Instansi {
        guard let id = request.parameters.get("id", as: Int.self),
            let instansi = try await Instansi.find(id, on: request.db)
        else { throw PageError.notFound("error.instansi_not_found") }
        return instansi
    }

    private func renderShow(
        _ request: Request, _ instansi: Instansi, notice: String?, action: String?, form: FormValues, errors: [String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let id = try instansi.requireID()
        let others = try await Instansi.query(on: request.db).filter(\.$kind == instansi.kind)
            .filter(\.$isActive == true).filter(\.$id != id).sort(\.$name).all()
        let history = try await InstansiController.history(of: id, request: request)
        let page = ShowPage(
            page: PageContext(request: request, title: instansi.name, cycle: nil), csrfToken: request.csrfToken, id: id,
            name: instansi.name, abbreviation: instansi.abbreviation, kind: request.label(instansi.kind),
            isActive: instansi.isActive, today: request.application.clock.today.iso, notice: notice, action: action,
            form: form, errors: errors, hasErrors: !errors.isEmpty,
            mergeOptions: others.map {
                SelectOption(value: String($0.id!), label: $0.name, selected: String($0.id!) == form.ke)
            },
            history: history, hasHistory: !history.isEmpty)
        return try await request.view.render("instansi-manage", page).encodeResponse(status: status, for: request)
    }

    /// `nama` renames, `nonaktifkan` ends, `gabung` merges into `ke`, `mekarkan` forms a new instansi from this one.
    @Sendable func change(request: Request) async throws -> Response {
        let instansi = try await self.instansi(request)
        let action = request.parameters.get("tindakan") ?? ""
        guard ["nama", "nonaktifkan", "gabung", "mekarkan"].contains(action) else { throw PageError.notFound() }
        let form = (try? request.content.decode(FormValues.self)) ?? FormValues()
        var errors: [String] = []
        if !instansi.isActive { errors.append(request.t("instansi_admin.error.inactive")) }
        let date = self.checkedDate(form.tanggal, errors: &errors, request: request)
        let note = self.note(form.catatan)
        let id = try instansi.requireID()
        func refuse() async throws -> Response {
            try await self.renderShow(
                request, instansi, notice: nil, action: action, form: form, errors: errors, status: .unprocessableEntity
            )
        }

        let registry = request.instansiRegistry
        switch action {
        case "nama":
            let name = try await self.checkedName(
                form.nama, kind: instansi.kind, errors: &errors, request: request, except: id)
            guard errors.isEmpty, let name, let date else { return try await refuse() }
            try await registry.rename(
                instansi, to: name, abbreviation: self.abbreviation(form.singkatan), on: date, note: note)
        case "nonaktifkan":
            guard errors.isEmpty, let date else { return try await refuse() }
            try await registry.deactivate(instansi, on: date, note: note)
        case "gabung":
            var found: Instansi?
            if let targetID = Int(form.ke ?? "") { found = try await Instansi.find(targetID, on: request.db) }
            let target = found
            if target == nil || target?.id == id || target?.isActive != true || target?.kind != instansi.kind {
                errors.append(request.t("instansi_admin.error.merge_target"))
            }
            guard errors.isEmpty, let target, let date else { return try await refuse() }
            try await registry.merge(instansi, into: target, on: date, note: note)
        default:  // mekarkan
            let name = try await self.checkedName(form.nama, kind: instansi.kind, errors: &errors, request: request)
            guard errors.isEmpty, let name, let date else { return try await refuse() }
            let formed = try await registry.split(
                instansi, forming: name, abbreviation: self.abbreviation(form.singkatan), on: date, note: note)
            return request.redirect(to: SiteURL.instansiManage(try formed.requireID(), query: [("pesan", "tersimpan")]))
        }
        return request.redirect(to: SiteURL.instansiManage(id, query: [("pesan", "tersimpan")]))
    }

    // MARK: - Checks

    /// A name that is given, not too long, and not already used by another instansi of the same kind.
    private func checkedName(
        _ raw: String?, kind: InstansiKind?, errors: inout [String], request: Request, except: Int? = nil
    ) async throws -> String? {
        let name = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else {
            errors.append(request.t("instansi_admin.error.name"))
            return nil
        }
        if let kind {
            var query = Instansi.query(on: request.db).filter(\.$kind == kind).filter(\.$name == name)
            if let except { query = query.filter(\.$id != except) }
            if try await query.first() != nil {
                errors.append(request.t("instansi_admin.error.name_taken", name))
                return nil
            }
        }
        return name
    }

    private func checkedDate(_ raw: String?, errors: inout [String], request: Request) -> CalendarDate? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return request.application.clock.today }
        guard let date = CalendarDate(iso: text) else {
            errors.append(request.t("instansi_admin.error.date", text))
            return nil
        }
        return date
    }

    private func abbreviation(_ raw: String?) -> String? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : String(text.prefix(40))
    }

    private func note(_ raw: String?) -> String? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.prefix(2000))
    }
}
