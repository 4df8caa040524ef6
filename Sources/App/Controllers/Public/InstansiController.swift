import Fluent
import StranasCore
import Vapor

/// `/instansi/{id}`: one instansi with the aksi it carries, its targets per triwulan and, for a province, its
/// participating kab/kota.
struct InstansiController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("instansi", ":id", use: self.show)
        routes.get("instansi", ":id", "rapor.csv", use: self.scorecardCSV)
    }

    /// A link to another instansi.
    struct InstansiLink: Encodable {
        let id: Int
        let name: String
    }

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

    /// An indicator followed across two cycles: its predecessor's targets, then its own, triwulan by triwulan.
    struct Trend: Encodable {
        let code: String
        let description: String
        let unit: String
        let predecessorCode: String
        let rows: [TrendRow]
    }

    struct TrendRow: Encodable {
        let cycleCode: String
        let cells: [String]
    }

    /// An event of the instansi's own history: renamed, merged, split, deactivated.
    struct HistoryLine: Encodable {
        let date: String
        let text: String
        let otherID: Int?
        let otherName: String?
        let note: String?
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
        let regencies: [InstansiLink]
        let revisions: [TargetRevisionLine]
        let hasRevisions: Bool
        let hasAksi: Bool
        let hasTargets: Bool
        let hasRegencies: Bool
        let trends: [Trend]
        let hasTrends: Bool
        let isActive: Bool
        let history: [HistoryLine]
        let hasHistory: Bool
        let scorecard: Scorecard
    }

    /// The instansi's scorecard numbers as CSV.
    @Sendable func scorecardCSV(request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self),
            let instansi = try await Instansi.find(id, on: request.db)
        else { throw PageError.notFound("error.instansi_not_found") }
        let cycle = try await CycleLookup.cycle(for: request)
        let card = try await Scorecard.load(instansiID: try instansi.requireID(), cycle: cycle, request: request)
        let response = Response(status: .ok, body: .init(string: card.csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"rapor-\(id)-\(cycle.code).csv\"")
        return response
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

        let revisions = try await TargetRevision.query(on: request.db)
            .filter(\.$instansi.$id == instansiID)
            .filter(\.$triwulan.$id ~~ Array(triwulanNumbers.keys))
            .with(\.$indicator)
            .sort(\.$at, .descending).sort(\.$id, .descending)
            .all()
            .map { revision in
                TargetRevisionLine(
                    change: request.t(
                        "instansi.revision", revision.indicator.code,
                        request.triwulanLabel(
                            number: triwulanNumbers[revision.$triwulan.id] ?? 0, startYear: cycle.startYear),
                        revision.oldValue.map { format.number($0) } ?? "–",
                        revision.newValue.map { format.number($0) } ?? "–"),
                    reason: revision.reason, date: request.t("aksi.revision_on", format.timestamp(revision.at)))
            }

        let trends = try await self.trends(
            of: byIndicator.values.map(\.indicator), instansiID: instansiID, cycle: cycle,
            values: byIndicator.mapValues(\.values), request: request)
        let history = try await self.history(of: instansiID, request: request)

        var regencies: [InstansiLink] = []
        if instansi.kind == .provinsi {
            regencies = try await Instansi.query(on: request.db)
                .filter(\.$parent.$id == instansiID)
                .sort(\.$name)
                .all()
                .map { InstansiLink(id: $0.id!, name: $0.name) }
        }

        return InstansiPage(
            page: PageContext(request: request, title: instansi.name, cycle: cycle),
            name: instansi.name, abbreviation: instansi.abbreviation, kind: request.label(instansi.kind),
            klCategory: instansi.klCategory.map { request.t("instansi.category.\($0)") },
            provinceID: instansi.parent?.id, provinceName: instansi.parent?.name, seat: instansi.seat,
            isTimnasMember: instansi.isTimnasMember, provenance: instansi.provenance, aksi: carried,
            columns: TriwulanColumn.columns(for: triwulan, startYear: cycle.startYear, request: request),
            targets: targetRows, regencies: regencies, revisions: revisions, hasRevisions: !revisions.isEmpty,
            hasAksi: !carried.isEmpty, hasTargets: !targetRows.isEmpty,
            hasRegencies: !regencies.isEmpty, trends: trends, hasTrends: !trends.isEmpty, isActive: instansi.isActive,
            history: history, hasHistory: !history.isEmpty,
            scorecard: try await Scorecard.load(instansiID: instansiID, cycle: cycle, request: request))
    }

    /// The trends of the indicators that name a predecessor: its targets for this instansi in the previous cycle,
    /// then this cycle's.
    static func trends(
        of indicators: [Indicator], instansiID: Int, cycle: Cycle, values: [Int: [Int: Double]], request: Request
    ) async throws -> [Trend] {
        let mapped = indicators.filter { $0.$predecessor.id != nil }
        guard !mapped.isEmpty else { return [] }
        let predecessors = try await Indicator.query(on: request.db)
            .filter(\.$id ~~ mapped.compactMap { $0.$predecessor.id })
            .with(\.$output) { $0.with(\.$aksi) { $0.with(\.$cycle) } }
            .all()
        let predecessorByID = Dictionary(uniqueKeysWithValues: predecessors.map { ($0.id!, $0) })
        let earlier = try await Target.query(on: request.db)
            .filter(\.$instansi.$id == instansiID)
            .filter(\.$indicator.$id ~~ predecessors.compactMap(\.id))
            .with(\.$triwulan)
            .all()
        var earlierValues: [Int: [Int: Double]] = [:]
        for target in earlier {
            earlierValues[target.$indicator.id, default: [:]][target.triwulan.number] = target.value
        }
        let format = request.displayFormat
        func cells(_ values: [Int: Double]?) -> [String] {
            (1...ReportingCalendar.triwulanPerCycle).map { values?[$0].map { format.number($0) } ?? "–" }
        }
        return mapped.sorted { PlanCode.precedes($0.code, $1.code) }.compactMap { indicator in
            guard let predecessor = predecessorByID[indicator.$predecessor.id!],
                predecessor.output.aksi.cycle.isPublished || request.signedInUser != nil
            else { return nil }
            return Trend(
                code: indicator.code, description: indicator.description, unit: indicator.unit,
                predecessorCode: predecessor.code,
                rows: [
                    TrendRow(
                        cycleCode: predecessor.output.aksi.cycle.code, cells: cells(earlierValues[predecessor.id!])),
                    TrendRow(cycleCode: cycle.code, cells: cells(values[indicator.id!])),
                ])
        }
    }

    static func history(of instansiID: Int, request: Request) async throws -> [HistoryLine] {
        let changes = try await InstansiChange.query(on: request.db).filter(\.$instansi.$id == instansiID)
            .with(\.$other).sort(\.$onDate, .descending).sort(\.$id, .descending).all()
        let format = request.displayFormat
        return changes.map { change in
            HistoryLine(
                date: CalendarDate(iso: change.onDate).map { format.date($0) } ?? change.onDate,
                text: request.t("instansi.history.\(change.kind.rawValue)", change.oldName ?? ""),
                otherID: change.other?.id, otherName: change.other?.name, note: change.note)
        }
    }
}
