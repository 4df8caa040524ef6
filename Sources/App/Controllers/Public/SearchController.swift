import SQLKit
import StranasCore
import Vapor

/// `/cari?q=…`: the public site's search, on the server, over the plan of the cycle shown (aksi, output and indicator
/// titles), the instansi (name and abbreviation) and the published usulan and pertanyaan with their answers. The query
/// stays in the URL, so that a result page can be shared; words match anywhere, ignoring case.
struct SearchController: RouteCollection {
    /// Results shown per group; the page says when a group has more.
    static let shownPerGroup = 20
    static let queryLengths = 2...100

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.search, use: self.show).knowing(query: ["q", CycleLookup.queryParameter])
    }

    struct Hit: Encodable {
        let label: String
        let detail: String?
        let url: String
    }

    struct Group: Encodable {
        let heading: String
        let hits: [Hit]
        let isCut: Bool
    }

    struct SearchPage: Encodable {
        let page: PageContext
        let query: String
        let problem: String?
        let groups: [Group]
        let summary: String?
    }

    private struct Row: Decodable {
        let number: Int?
        let code: String?
        let title: String?
        let id: Int?
        let name: String?
        let body: String?
        let answer: String?
    }

    @Sendable func show(request: Request) async throws -> View {
        let query = ((try? request.query.get(String.self, at: "q")) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let title = request.t("search.title")
        guard !query.isEmpty else {
            return try await self.render(request, title: title, query: "", problem: nil, groups: [], cycle: nil)
        }
        guard Self.queryLengths.contains(query.count) else {
            let problem = request.t(
                "search.error.length", String(Self.queryLengths.lowerBound), String(Self.queryLengths.upperBound))
            return try await self.render(request, title: title, query: query, problem: problem, groups: [], cycle: nil)
        }
        let cycle = try await CycleLookup.cycle(for: request)
        let cycleID = try cycle.requireID()
        let sql = request.db as! any SQLDatabase
        let pattern = "%" + Self.escapedForLike(query.lowercased()) + "%"
        let limit = Self.shownPerGroup + 1
        let periode = (CycleLookup.queryParameter, Optional(cycle.code))

        let aksi = try await sql.raw(
            """
            SELECT number, title FROM aksi WHERE cycle_id = \(bind: cycleID) AND lower(title) LIKE \(bind: pattern)
            ESCAPE '\\' ORDER BY number LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decoding: Row.self)
        let outputs = try await sql.raw(
            """
            SELECT a.number, o.code, o.title FROM outputs o JOIN aksi a ON a.id = o.aksi_id
            WHERE a.cycle_id = \(bind: cycleID) AND lower(o.title) LIKE \(bind: pattern) ESCAPE '\\'
            ORDER BY a.number, o.position LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decoding: Row.self)
        let indicators = try await sql.raw(
            """
            SELECT a.number, i.code, i.description AS title FROM indicators i
            JOIN outputs o ON o.id = i.output_id JOIN aksi a ON a.id = o.aksi_id
            WHERE a.cycle_id = \(bind: cycleID) AND lower(i.description) LIKE \(bind: pattern) ESCAPE '\\'
            ORDER BY i.code LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decoding: Row.self)
        let instansi = try await sql.raw(
            """
            SELECT id, name FROM instansi WHERE is_active = \(bind: true)
            AND (lower(name) LIKE \(bind: pattern) ESCAPE '\\'
              OR lower(coalesce(abbreviation, '')) LIKE \(bind: pattern) ESCAPE '\\')
            ORDER BY name LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decoding: Row.self)
        let inputs = try await sql.raw(
            """
            SELECT p.id, p.body, p.answer, i.id AS number, i.name FROM public_inputs p JOIN instansi i ON i.id = p.instansi_id
            WHERE p.state = \(bind: PublicInputState.disetujui.rawValue)
              AND (lower(p.body) LIKE \(bind: pattern) ESCAPE '\\'
                OR lower(coalesce(p.answer, '')) LIKE \(bind: pattern) ESCAPE '\\')
            ORDER BY p.id DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decoding: Row.self)

        func group(_ key: String, _ rows: [Row], _ hit: (Row) -> Hit) -> Group? {
            rows.isEmpty
                ? nil
                : Group(
                    heading: request.t(key), hits: rows.prefix(Self.shownPerGroup).map(hit),
                    isCut: rows.count > Self.shownPerGroup)
        }
        let groups = [
            group("search.group.aksi", aksi) {
                Hit(
                    label: $0.title ?? "", detail: request.t("aksi.number", String($0.number ?? 0)),
                    url: SiteURL.aksi($0.number ?? 0, query: [periode]))
            },
            group("search.group.outputs", outputs) {
                Hit(
                    label: $0.title ?? "", detail: "Output " + ($0.code ?? ""),
                    url: SiteURL.aksi($0.number ?? 0, query: [periode], fragment: "output-" + ($0.code ?? "")))
            },
            group("search.group.indicators", indicators) {
                Hit(
                    label: $0.title ?? "", detail: $0.code,
                    url: SiteURL.indicator($0.number ?? 0, $0.code ?? "", query: [periode]))
            },
            group("search.group.instansi", instansi) {
                Hit(label: $0.name ?? "", detail: nil, url: SiteURL.instansi($0.id ?? 0, query: [periode]))
            },
            group("search.group.inputs", inputs) {
                Hit(
                    label: Self.excerpt($0.body ?? ""), detail: $0.name,
                    url: SiteURL.inputs(
                        query: [("instansi", String($0.number ?? 0))],
                        fragment: PublicInputController.anchor(of: $0.id ?? 0)))
            },
        ].compactMap { $0 }
        return try await self.render(
            request, title: request.t("search.title_for", query), query: query, problem: nil, groups: groups,
            cycle: cycle)
    }

    private func render(
        _ request: Request, title: String, query: String, problem: String?, groups: [Group], cycle: Cycle?
    ) async throws -> View {
        let count = groups.map(\.hits.count).reduce(0, +)
        let summary: String? =
            query.isEmpty || problem != nil
            ? nil : count == 0 ? request.t("search.none", query) : request.t("search.count", String(count), query)
        return try await request.view.render(
            "search",
            SearchPage(
                page: PageContext(request: request, title: title, cycle: cycle), query: query, problem: problem,
                groups: groups, summary: summary))
    }

    /// `text` with LIKE's wildcards and the escape character taken literally.
    static func escapedForLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    /// The start of a long text, cut at a word.
    static func excerpt(_ text: String, length: Int = 160) -> String {
        guard text.count > length else { return text }
        let cut = text.prefix(length)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + " …"
    }
}
