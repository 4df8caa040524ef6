import Fluent
import StranasCore
import Vapor

/// `/instansi`: the directory of instansi, and `/instansi/{id}`: one instansi with the aksi it carries and its
/// targets.
struct InstansiController: RouteCollection {
    static let maximumSearchLength = 100

    func boot(routes: any RoutesBuilder) throws {
        routes.get("instansi", use: self.index)
        routes.get("instansi", ":id", use: self.show)
    }

    // MARK: - Directory

    /// The directory's filters, as read from the query string.
    struct Filter: Equatable {
        var kind: InstansiKind?
        var provinceCode: String?
        var search: String?

        /// Reads `jenis`, `provinsi` and `q`; an empty value means "no filter". Anything else wrong is a 400.
        static func parse(_ request: Request, provinceCodes: Set<String>) throws -> Filter {
            func value(_ name: String) -> String? {
                guard let raw = try? request.query.get(String.self, at: name) else { return nil }
                let trimmed = raw.trimmingCharacters(in: .whitespaces)
                return trimmed.isEmpty ? nil : trimmed
            }
            var filter = Filter()
            if let kind = value("jenis") {
                guard let parsed = InstansiKind(rawValue: kind) else {
                    throw PageError.badRequest("error.bad_kind", String(kind.prefix(40)))
                }
                filter.kind = parsed
            }
            if let code = value("provinsi") {
                guard provinceCodes.contains(code) else {
                    throw PageError.badRequest("error.bad_province", String(code.prefix(40)))
                }
                filter.provinceCode = code
            }
            if let search = value("q") {
                guard search.count <= InstansiController.maximumSearchLength else {
                    throw PageError.badRequest("error.search_too_long", String(InstansiController.maximumSearchLength))
                }
                filter.search = search
            }
            return filter
        }

        func matches(_ instansi: Instansi) -> Bool {
            if let kind = self.kind, instansi.kind != kind { return false }
            if let code = self.provinceCode, instansi.provinceCode != code { return false }
            if let search = self.search {
                let haystack = [instansi.name, instansi.abbreviation ?? ""]
                return haystack.contains {
                    $0.range(of: search, options: [.caseInsensitive, .diacriticInsensitive]) != nil
                }
            }
            return true
        }
    }

    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct DirectoryEntry: Encodable {
        let id: Int
        let name: String
        let abbreviation: String?
        let kind: String
        let province: String?
        let isTimnasMember: Bool
        let aksiCount: Int
    }

    struct DirectoryPage: Encodable {
        let page: PageContext
        let kindOptions: [Option]
        let provinceOptions: [Option]
        let search: String
        let isFiltered: Bool
        let isEmpty: Bool
        let entries: [DirectoryEntry]
        let summary: String
    }

    @Sendable func index(request: Request) async throws -> View {
        let cycle = try await CycleLookup.cycle(for: request)
        let page = try await Self.directory(cycle: cycle, request: request)
        return try await request.view.render("instansi-index", page)
    }

    static func directory(cycle: Cycle, request: Request) async throws -> DirectoryPage {
        let all = try await Instansi.query(on: request.db).sort(\.$name).all()
        let provinces = all.filter { $0.kind == .provinsi }.sorted { ($0.provinceCode ?? "") < ($1.provinceCode ?? "") }
        let filter = try Filter.parse(request, provinceCodes: Set(provinces.compactMap(\.provinceCode)))
        let provinceNames = Dictionary(
            provinces.compactMap { p in p.provinceCode.map { ($0, p.name) } }, uniquingKeysWith: { a, _ in a })

        let aksiByInstansi = try await Self.aksiNumbersByInstansi(cycle: cycle, on: request.db)
        let kinds = InstansiKind.allCases
        let matching = all.filter(filter.matches)
            .sorted { (kinds.firstIndex(of: $0.kind)!, $0.name) < (kinds.firstIndex(of: $1.kind)!, $1.name) }
        let entries = matching.map { instansi in
            DirectoryEntry(
                id: instansi.id!, name: instansi.name, abbreviation: instansi.abbreviation,
                kind: request.label(instansi.kind),
                province: instansi.kind == .kabkota ? instansi.provinceCode.flatMap { provinceNames[$0] } : nil,
                isTimnasMember: instansi.isTimnasMember, aksiCount: aksiByInstansi[instansi.id!]?.count ?? 0)
        }
        let counts = kinds.map { kind in
            request.t("instansi.count.\(kind.rawValue)", String(matching.filter { $0.kind == kind }.count))
        }
        return DirectoryPage(
            page: PageContext(request: request, title: request.t("instansi.index.title"), cycle: cycle),
            kindOptions: kinds.map {
                Option(value: $0.rawValue, label: request.label($0), selected: filter.kind == $0)
            },
            provinceOptions: provinces.map {
                Option(value: $0.provinceCode ?? "", label: $0.name, selected: filter.provinceCode == $0.provinceCode)
            },
            search: filter.search ?? "", isFiltered: filter != Filter(), isEmpty: entries.isEmpty, entries: entries,
            summary: request.t("instansi.index.summary", String(entries.count), counts.joined(separator: ", ")))
    }

    private static func aksiNumbersByInstansi(cycle: Cycle, on database: any Database) async throws -> [Int: Set<Int>] {
        let assignments = try await Pelaksana.query(on: database)
            .join(Aksi.self, on: \Pelaksana.$aksi.$id == \Aksi.$id)
            .filter(Aksi.self, \.$cycle.$id == cycle.requireID())
            .all()
        var result: [Int: Set<Int>] = [:]
        for assignment in assignments { result[assignment.$instansi.id, default: []].insert(assignment.$aksi.id) }
        return result
    }

    // MARK: - One instansi

    struct CarriedAksi: Encodable {
        let number: Int
        let title: String
        let role: String
    }

    struct IndicatorTargets: Encodable {
        let aksiNumber: Int
        let code: String
        let description: String
        let unit: String
        let cells: [String]
    }

    struct InstansiPage: Encodable {
        let page: PageContext
        let name: String
        let abbreviation: String?
        let kind: String
        let klCategory: String?
        let provinceID: Int?
        let provinceName: String?
        let seat: String?
        let isTimnasMember: Bool
        let provenance: String?
        let aksi: [CarriedAksi]
        let columns: [TriwulanColumn]
        let targets: [IndicatorTargets]
        let regencies: [DirectoryEntry]
        let hasAksi: Bool
        let hasTargets: Bool
        let hasRegencies: Bool
    }

    @Sendable func show(request: Request) async throws -> View {
        guard let id = request.parameters.get("id", as: Int.self),
            let instansi = try await Instansi.query(on: request.db).filter(\.$id == id).with(\.$parent).first()
        else { throw PageError.notFound("error.instansi_not_found") }
        let cycle = try await CycleLookup.cycle(for: request)
        let page = try await Self.query(instansi: instansi, cycle: cycle, request: request)
        return try await request.view.render("instansi-show", page)
    }

    static func query(instansi: Instansi, cycle: Cycle, request: Request) async throws -> InstansiPage {
        let instansiID = try instansi.requireID()
        let cycleID = try cycle.requireID()
        let assignments = try await Pelaksana.query(on: request.db)
            .filter(\.$instansi.$id == instansiID)
            .join(Aksi.self, on: \Pelaksana.$aksi.$id == \Aksi.$id)
            .filter(Aksi.self, \.$cycle.$id == cycleID)
            .with(\.$aksi)
            .all()
        var roleByAksi: [Int: (aksi: Aksi, role: PelaksanaRole)] = [:]
        for assignment in assignments {
            let current = roleByAksi[assignment.$aksi.id]
            if current == nil || assignment.role == .koordinator {
                roleByAksi[assignment.$aksi.id] = (assignment.aksi, assignment.role)
            }
        }
        let carried = roleByAksi.values.sorted { $0.aksi.number < $1.aksi.number }.map {
            CarriedAksi(number: $0.aksi.number, title: $0.aksi.title, role: request.label($0.role))
        }

        let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycleID).all()
        let triwulanNumbers = Dictionary(uniqueKeysWithValues: triwulan.compactMap { t in t.id.map { ($0, t.number) } })
        let targets = try await Target.query(on: request.db)
            .filter(\.$instansi.$id == instansiID)
            .filter(\.$triwulan.$id ~~ Array(triwulanNumbers.keys))
            .with(\.$indicator) { $0.with(\.$output) { $0.with(\.$aksi) } }
            .all()
        let format = request.displayFormat
        var byIndicator: [Int: (indicator: Indicator, values: [Int: Double])] = [:]
        for target in targets {
            guard let number = triwulanNumbers[target.$triwulan.id] else { continue }
            byIndicator[target.$indicator.id, default: (target.indicator, [:])].values[number] = target.value
        }
        let targetRows = byIndicator.values
            .sorted {
                ($0.indicator.output.aksi.number, $0.indicator.code) < (
                    $1.indicator.output.aksi.number, $1.indicator.code
                )
            }
            .map { entry in
                IndicatorTargets(
                    aksiNumber: entry.indicator.output.aksi.number, code: entry.indicator.code,
                    description: entry.indicator.description, unit: entry.indicator.unit,
                    cells: (1...triwulan.count).map { entry.values[$0].map { format.number($0) } ?? "–" })
            }

        var regencies: [DirectoryEntry] = []
        if instansi.kind == .provinsi {
            regencies = try await Instansi.query(on: request.db)
                .filter(\.$parent.$id == instansiID)
                .sort(\.$name)
                .all()
                .map {
                    DirectoryEntry(
                        id: $0.id!, name: $0.name, abbreviation: nil, kind: request.label($0.kind), province: nil,
                        isTimnasMember: false, aksiCount: 0)
                }
        }

        return InstansiPage(
            page: PageContext(request: request, title: instansi.name, cycle: cycle),
            name: instansi.name, abbreviation: instansi.abbreviation, kind: request.label(instansi.kind),
            klCategory: instansi.klCategory.map { request.t("instansi.category.\($0)") },
            provinceID: instansi.parent?.id, provinceName: instansi.parent?.name, seat: instansi.seat,
            isTimnasMember: instansi.isTimnasMember, provenance: instansi.provenance, aksi: carried,
            columns: TriwulanColumn.columns(for: triwulan, startYear: cycle.startYear, request: request),
            targets: targetRows, regencies: regencies, hasAksi: !carried.isEmpty, hasTargets: !targetRows.isEmpty,
            hasRegencies: !regencies.isEmpty)
    }
}
