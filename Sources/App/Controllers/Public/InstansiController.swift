import Fluent
import StranasCore
import Vapor

/// `/instansi/{id}`: one instansi with the aksi it carries, its targets per triwulan and, for a province, its
/// participating kab/kota.
struct InstansiController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.instansi, use: self.show).knowing(query: [CycleLookup.queryParameter, "triwulan"])
        routes.get(SiteURL.scorecardCSV, use: self.scorecardCSV)
            .knowing(query: [CycleLookup.queryParameter, "triwulan"])
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
        let instansiID: Int
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
        return CSVDownload.response(card.csvRows, fileName: "rapor-\(id)-\(cycle.code).csv")
    }

    @Sendable func show(request: Request) async throws -> View {
        guard let id = request.parameters.get("id", as: Int.self) else {
            throw PageError.notFound("error.instansi_not_found")
        }
        let rows = try await InstansiRecords(database: request.db).instansiWithRegencies(id: id)
        guard let instansi = rows.first else { throw PageError.notFound("error.instansi_not_found") }
        let cycle = try await CycleLookup.cycle(for: request)
        let page = try await Self.query(
            instansi: instansi, regencies: Array(rows.dropFirst()), cycle: cycle, request: request)
        return try await request.view.render("instansi-show", page)
    }

    static func query(
        instansi: InstansiRecords.InstansiRow, regencies: [InstansiRecords.InstansiRow], cycle: Cycle,
        request: Request
    ) async throws -> InstansiPage {
        let instansiID = instansi.id
        let cycleID = try cycle.requireID()
        let records = InstansiRecords(database: request.db)
        var roleByAksi: [Int: InstansiRecords.CarriedRow] = [:]
        for assignment in try await records.carried(instansiID: instansiID, cycleID: cycleID) {
            let current = roleByAksi[assignment.aksiID]
            if current == nil || assignment.role == .koordinator { roleByAksi[assignment.aksiID] = assignment }
        }
        let carried = roleByAksi.values.sorted { $0.number < $1.number }.map {
            CarriedAksi(number: $0.number, title: $0.title, role: request.label($0.role))
        }

        let targets = try await records.targets(instansiID: instansiID, cycleID: cycleID)
        let format = request.displayFormat
        var byIndicator: [Int: (indicator: InstansiRecords.TargetRow, values: [Int: Double])] = [:]
        for target in targets {
            byIndicator[target.indicatorID, default: (target, [:])].values[target.triwulan] = target.value
        }
        let targetRows = byIndicator.values
            .sorted { ($0.indicator.aksiNumber, $0.indicator.code) < ($1.indicator.aksiNumber, $1.indicator.code) }
            .map { entry in
                IndicatorTargets(
                    aksiNumber: entry.indicator.aksiNumber, code: entry.indicator.code,
                    description: entry.indicator.description, unit: entry.indicator.unit,
                    cells: (1...ReportingCalendar.triwulanPerCycle).map {
                        entry.values[$0].map { format.number($0) } ?? "–"
                    })
            }

        let revisions = try await records.revisions(instansiID: instansiID, cycleID: cycleID).map { revision in
            TargetRevisionLine(
                change: request.t(
                    "instansi.revision", revision.code,
                    request.triwulanLabel(number: revision.triwulan, startYear: cycle.startYear),
                    revision.oldValue.map { format.number($0) } ?? "–",
                    revision.newValue.map { format.number($0) } ?? "–"),
                reason: revision.reason, date: request.t("aksi.revision_on", format.timestamp(revision.at)))
        }

        let trends = try await self.trends(
            of: byIndicator.values.map(\.indicator), instansiID: instansiID, cycle: cycle,
            values: byIndicator.mapValues(\.values), request: request)
        let history = try await self.history(of: instansiID, request: request)
        let regencyLinks = regencies.map { InstansiLink(id: $0.id, name: $0.name) }
        let aksiNames = Dictionary(uniqueKeysWithValues: roleByAksi.map { ($0.key, ($0.value.number, $0.value.title)) })

        return InstansiPage(
            page: PageContext(request: request, title: instansi.name, cycle: cycle), instansiID: instansi.id,
            name: instansi.name, abbreviation: instansi.abbreviation, kind: request.label(instansi.kind),
            klCategory: instansi.klCategory.map { request.t("instansi.category.\($0)") },
            provinceID: instansi.parentID, provinceName: instansi.parentName, seat: instansi.seat,
            isTimnasMember: instansi.isTimnasMember, provenance: instansi.provenance, aksi: carried,
            columns: TriwulanColumn.columns(startYear: cycle.startYear, request: request),
            targets: targetRows, regencies: regencyLinks, revisions: revisions, hasRevisions: !revisions.isEmpty,
            hasAksi: !carried.isEmpty, hasTargets: !targetRows.isEmpty,
            hasRegencies: !regencyLinks.isEmpty, trends: trends, hasTrends: !trends.isEmpty,
            isActive: instansi.isActive, history: history, hasHistory: !history.isEmpty,
            scorecard: try await Scorecard.load(
                instansiID: instansiID, cycle: cycle, aksiNames: aksiNames, request: request))
    }

    /// The trends of the indicators that name a predecessor: its targets for this instansi in the previous cycle,
    /// then this cycle's.
    static func trends(
        of indicators: [InstansiRecords.TargetRow], instansiID: Int, cycle: Cycle, values: [Int: [Int: Double]],
        request: Request
    ) async throws -> [Trend] {
        let mapped = indicators.filter { $0.predecessorID != nil }
        guard !mapped.isEmpty else { return [] }
        let earlier = try await InstansiRecords(database: request.db).predecessorTargets(
            indicatorIDs: mapped.compactMap(\.predecessorID), instansiID: instansiID)
        var predecessorByID: [Int: InstansiRecords.PredecessorTarget] = [:]
        var earlierValues: [Int: [Int: Double]] = [:]
        for row in earlier {
            predecessorByID[row.indicatorID] = row
            if let number = row.triwulan, let value = row.value {
                earlierValues[row.indicatorID, default: [:]][number] = value
            }
        }
        let format = request.displayFormat
        func cells(_ values: [Int: Double]?) -> [String] {
            (1...ReportingCalendar.triwulanPerCycle).map { values?[$0].map { format.number($0) } ?? "–" }
        }
        return mapped.sorted { PlanCode.precedes($0.code, $1.code) }.compactMap { indicator in
            guard let predecessor = predecessorByID[indicator.predecessorID!],
                predecessor.published == 1 || request.signedInUser != nil
            else { return nil }
            return Trend(
                code: indicator.code, description: indicator.description, unit: indicator.unit,
                predecessorCode: predecessor.code,
                rows: [
                    TrendRow(cycleCode: predecessor.cycleCode, cells: cells(earlierValues[predecessor.indicatorID])),
                    TrendRow(cycleCode: cycle.code, cells: cells(values[indicator.indicatorID])),
                ])
        }
    }

    static func history(of instansiID: Int, request: Request) async throws -> [HistoryLine] {
        let format = request.displayFormat
        return try await InstansiRecords(database: request.db).history(instansiID: instansiID).map { change in
            HistoryLine(
                date: CalendarDate(iso: change.onDate).map { format.date($0) } ?? change.onDate,
                text: request.t("instansi.history.\(change.kind.rawValue)", change.oldName ?? ""),
                otherID: change.otherID, otherName: change.otherName, note: change.note)
        }
    }
}
