import Fluent
import SQLKit
import StranasCore
import Vapor

/// `/instansi`: the directory of instansi, filterable by kind and province, searchable by name.
struct InstansiDirectoryController: RouteCollection {
    static let maximumSearchLength = 100

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.instansiDirectory, use: self.index).knowing(query: [
            "jenis", "provinsi", "q", CycleLookup.queryParameter,
        ])
    }

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
                guard search.count <= InstansiDirectoryController.maximumSearchLength else {
                    throw PageError.badRequest(
                        "error.search_too_long", String(InstansiDirectoryController.maximumSearchLength))
                }
                filter.search = search
            }
            return filter
        }

        func matches(_ instansi: Listed) -> Bool {
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
        let kindOptions: [SelectOption]
        let provinceOptions: [SelectOption]
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

    /// An instansi as the directory lists it, with how many of the cycle's aksi it carries: read as plain rows in one
    /// statement (hundreds of instansi, thousands of assignments at national scale).
    struct Listed: Decodable {
        let id: Int
        let name: String
        let abbreviation: String?
        let kind: InstansiKind
        let provinceCode: String?
        /// 1 for a member of the Timnas PK (an integer: the two databases spell booleans differently).
        let timnas: Int
        let aksiCount: Int

        enum CodingKeys: String, CodingKey {
            case id, name, abbreviation, kind, timnas
            case provinceCode = "province_code"
            case aksiCount = "aksi_count"
        }
    }

    static func directory(cycle: Cycle, request: Request) async throws -> DirectoryPage {
        // Instansi that ended keep their own pages (older plans link to them) but leave the directory.
        let all = try await (request.db as! any SQLDatabase).raw(
            """
            SELECT i.id, i.name, i.abbreviation, i.kind, i.province_code,
                   CASE WHEN i.is_timnas_member THEN 1 ELSE 0 END AS timnas,
                   (SELECT COUNT(DISTINCT p.aksi_id) FROM pelaksana p JOIN aksi a ON a.id = p.aksi_id
                    WHERE p.instansi_id = i.id AND a.cycle_id = \(bind: try cycle.requireID())) AS aksi_count
            FROM instansi i WHERE i.is_active = \(bind: true) ORDER BY i.name
            """
        ).all(decoding: Listed.self)
        let provinces = all.filter { $0.kind == .provinsi }.sorted { ($0.provinceCode ?? "") < ($1.provinceCode ?? "") }
        let filter = try Filter.parse(request, provinceCodes: Set(provinces.compactMap(\.provinceCode)))
        let provinceNames = Dictionary(
            provinces.compactMap { p in p.provinceCode.map { ($0, p.name) } }, uniquingKeysWith: { a, _ in a })

        let kinds = InstansiKind.allCases
        let matching = all.filter(filter.matches)
            .sorted { (kinds.firstIndex(of: $0.kind)!, $0.name) < (kinds.firstIndex(of: $1.kind)!, $1.name) }
        let entries = matching.map { instansi in
            DirectoryEntry(
                id: instansi.id, name: instansi.name, abbreviation: instansi.abbreviation,
                kind: request.label(instansi.kind),
                province: instansi.kind == .kabkota ? instansi.provinceCode.flatMap { provinceNames[$0] } : nil,
                isTimnasMember: instansi.timnas == 1, aksiCount: instansi.aksiCount)
        }
        let counts = kinds.compactMap { kind -> String? in
            let count = matching.filter { $0.kind == kind }.count
            return count == 0 ? nil : request.t("instansi.count.\(kind.rawValue)", String(count))
        }
        return DirectoryPage(
            page: PageContext(request: request, title: request.t("instansi.index.title"), cycle: cycle),
            kindOptions: kinds.map {
                SelectOption(value: $0.rawValue, label: request.label($0), selected: filter.kind == $0)
            },
            provinceOptions: provinces.map {
                SelectOption(
                    value: $0.provinceCode ?? "", label: $0.name, selected: filter.provinceCode == $0.provinceCode)
            },
            search: filter.search ?? "", isFiltered: filter != Filter(), isEmpty: entries.isEmpty, entries: entries,
            summary: entries.isEmpty
                ? request.t("instansi.index.summary_empty")
                : request.t("instansi.index.summary", String(entries.count), counts.joined(separator: ", ")))
    }
}
