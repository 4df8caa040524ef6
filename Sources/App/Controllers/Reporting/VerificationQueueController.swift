import Fluent
import StranasCore
import Vapor

/// `/verifikasi`: a Verifikator Setnas's queue: lines submitted for the aksi assigned to them, across instansi and
/// cycles, the longest waiting first.
struct VerificationQueueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.verifyReportLines).get(SiteURL.verificationQueue, use: self.show)
    }

    struct Row: Encodable {
        let targetID: Int
        let waitingSince: String
        let instansi: String
        let indicatorCode: String
        let triwulan: String
        let target: String
        let capaian: String
        let timeliness: String?
    }

    struct QueuePage: Encodable {
        let page: PageContext
        let rows: [Row]
        let hasRows: Bool
        let aksiCount: Int
    }

    @Sendable func show(request: Request) async throws -> View {
        let user = try request.requireSignedIn()
        let aksiIDs = try await VerifikatorAssignment.query(on: request.db).filter(\.$user.$id == user.id).all()
            .map(\.$aksi.id)
        var lines: [ReportLine] = []
        if !aksiIDs.isEmpty {
            lines = try await ReportLine.query(on: request.db)
                .filter(\.$state == .submitted)
                .join(Target.self, on: \ReportLine.$target.$id == \Target.$id)
                .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
                .join(PlanOutput.self, on: \Indicator.$output.$id == \PlanOutput.$id)
                .filter(PlanOutput.self, \.$aksi.$id ~~ aksiIDs)
                .sort(\.$updatedAt)
                .with(\.$target) { $0.with(\.$instansi).with(\.$triwulan).with(\.$indicator) }
                .limit(500)
                .all()
        }
        let cycles = Dictionary(
            uniqueKeysWithValues: try await Cycle.query(on: request.db).all().map { ($0.id!, $0.startYear) })
        let format = request.displayFormat
        let rows = lines.map { line in
            Row(
                targetID: line.$target.id, waitingSince: format.timestamp(line.updatedAt),
                instansi: line.target.instansi.name, indicatorCode: line.target.indicator.code,
                triwulan: request.triwulanLabel(
                    number: line.target.triwulan.number, startYear: cycles[line.target.triwulan.$cycle.id] ?? 0),
                target: format.number(line.target.value), capaian: line.capaian.map { format.number($0) } ?? "–",
                timeliness: line.timeliness.map { request.t("report.timeliness.\($0.rawValue)") })
        }
        return try await request.view.render(
            "verification-queue",
            QueuePage(
                page: PageContext(request: request, title: request.t("queue.title"), cycle: nil), rows: rows,
                hasRows: !rows.isEmpty, aksiCount: aksiIDs.count))
    }
}
