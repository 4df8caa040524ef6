import Fluent
import Vapor

/// `/`: the plan of a cycle, fokus by fokus, with what each aksi holds.
struct PlanController: RouteCollection {
    struct AksiSummary: Encodable {
        let number: Int
        let title: String
        let outputCount: Int
        let indicatorCount: Int
        let pelaksanaCount: Int
    }

    struct FokusSection: Encodable {
        let code: String
        let name: String
        let aksi: [AksiSummary]
    }

    struct PlanPage: Encodable {
        let page: PageContext
        let cycleName: String
        let provenanceNote: String?
        let fokus: [FokusSection]
        let summary: String
        let calendar: [ReportingWindowRow]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home, use: self.index).knowing(query: [CycleLookup.queryParameter])
    }

    @Sendable func index(request: Request) async throws -> View {
        let cycle = try await CycleLookup.cycle(for: request)
        let page = try await Self.query(cycle: cycle, request: request)
        return try await request.view.render("plan", page)
    }

    static func query(cycle: Cycle, request: Request) async throws -> PlanPage {
        let cycleID = try cycle.requireID()
        let fokus = try await Fokus.query(on: request.db)
            .filter(\.$cycle.$id == cycleID)
            .sort(\.$position)
            .with(\.$aksi) { $0.with(\.$outputs) { $0.with(\.$indicators) } }
            .all()
        let assignments = try await Pelaksana.query(on: request.db)
            .join(Aksi.self, on: \Pelaksana.$aksi.$id == \Aksi.$id)
            .filter(Aksi.self, \.$cycle.$id == cycleID)
            .all()
        let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycleID).all()
        var instansiByAksi: [Int: Set<Int>] = [:]
        for assignment in assignments {
            instansiByAksi[assignment.$aksi.id, default: []].insert(assignment.$instansi.id)
        }

        let sections = fokus.map { fokus in
            FokusSection(
                code: fokus.code, name: fokus.name,
                aksi: fokus.aksi.sorted { $0.number < $1.number }.map { aksi in
                    AksiSummary(
                        number: aksi.number, title: aksi.title, outputCount: aksi.outputs.count,
                        indicatorCount: aksi.outputs.reduce(0) { $0 + $1.indicators.count },
                        pelaksanaCount: instansiByAksi[aksi.id ?? 0]?.count ?? 0)
                })
        }
        return PlanPage(
            page: PageContext(request: request, title: request.t("plan.title", cycle.code), cycle: cycle),
            cycleName: cycle.name, provenanceNote: cycle.provenanceNote, fokus: sections,
            summary: request.t(
                "plan.lead", String(sections.reduce(0) { $0 + $1.aksi.count }), String(sections.count),
                String(Set(assignments.map { $0.$instansi.id }).count)),
            calendar: ReportingWindowRow.rows(for: triwulan, startYear: cycle.startYear, request: request))
    }
}
