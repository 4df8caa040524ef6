import Fluent
import SQLKit
import StranasCore
import Vapor

/// `/api/v1`: the plan, its targets, verified results and scores, and the change log's head, as JSON for anyone,
/// described by `Resources/API/openapi.yaml` (served at `/api/v1/openapi.yaml`). Read-only; lists are paginated
/// and filtered by query parameters, which are checked strictly (`APIQuery`).
struct OpenDataController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped(OpenDataHeadersMiddleware())
        api.get(SiteURL.apiCycles, use: self.cycles)
        api.get(SiteURL.apiPlan, use: self.plan)
        api.get(SiteURL.apiInstansi, use: self.instansi)
        api.get(SiteURL.apiTargets, use: self.targets)
        api.get(SiteURL.apiResults, use: self.results)
        api.get(SiteURL.apiScores, use: self.scores)
        api.get(SiteURL.apiRevisions, use: self.revisions)
        api.get(SiteURL.apiDiscipline, use: self.discipline)
        api.get(SiteURL.apiSnapshots, use: self.snapshots)
        api.get(SiteURL.apiInputs, use: self.inputs)
        api.get(SiteURL.apiAuditHead, use: self.auditHead)
    }

    // MARK: - Plan

    struct CycleItem: Encodable {
        let code: String
        let name: String
        let startYear: Int
        @AlwaysPresent var provenanceNote: String?
        let triwulan: [TriwulanItem]

    }

    struct TriwulanItem: Encodable {
        let number: Int
        let startsOn: String
        let endsOn: String
        let opensOn: String
        let dueOn: String
        let locksOn: String
    }

    @Sendable func cycles(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, [])
        let cycles = try await Cycle.query(on: request.db).filter(\.$publishedAt != nil).sort(\.$startYear).all()
        let ids = cycles.compactMap(\.id)
        let periods = ids.isEmpty ? [] : try await Triwulan.query(on: request.db).filter(\.$cycle.$id ~~ ids).all()
        let byCycle = Dictionary(grouping: periods, by: { $0.$cycle.id })
        return try APIResponses.json(
            [
                "data": cycles.map { cycle in
                    CycleItem(
                        code: cycle.code, name: cycle.name, startYear: cycle.startYear,
                        provenanceNote: cycle.provenanceNote,
                        triwulan: (byCycle[cycle.id ?? 0] ?? []).sorted { $0.number < $1.number }.map {
                            TriwulanItem(
                                number: $0.number, startsOn: $0.startsOn, endsOn: $0.endsOn, opensOn: $0.opensOn,
                                dueOn: $0.dueOn, locksOn: $0.locksOn)
                        })
                }
            ])
    }

    struct PlanItem: Encodable {
        struct FokusItem: Encodable {
            let code: String
            let name: String
            let aksi: [AksiItem]
        }

        struct AksiItem: Encodable {
            let number: Int
            let title: String
            let outputs: [OutputItem]
        }

        struct OutputItem: Encodable {
            let code: String
            let title: String
            let indicators: [IndicatorItem]
        }

        struct IndicatorItem: Encodable {
            let code: String
            let description: String
            let unit: String
            let kind: String
            let weight: Double
            let finalTarget: Double
        }

        let cycle: String
        let fokus: [FokusItem]
    }

    @Sendable func plan(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, [])
        let cycle = try await Self.cycle(request)
        let cycleID = try cycle.requireID()
        let fokus = try await Fokus.query(on: request.db).filter(\.$cycle.$id == cycleID).sort(\.$position).all()
        let tree = try await PlanStore(database: request.db).tree(cycleID: cycleID)
        let outputsByAksi = Dictionary(grouping: tree.outputs, by: { $0.$aksi.id })
        let indicatorsByOutput = Dictionary(grouping: tree.indicators, by: { $0.$output.id })
        let aksiByFokus = Dictionary(grouping: tree.aksi, by: { $0.$fokus.id })
        func byCode<T>(_ items: [T], _ code: (T) -> String) -> [T] {
            items.sorted { code($0).compare(code($1), options: .numeric) == .orderedAscending }
        }
        let plan = PlanItem(
            cycle: cycle.code,
            fokus: fokus.map { fokus in
                .init(
                    code: fokus.code, name: fokus.name,
                    aksi: (aksiByFokus[fokus.id ?? 0] ?? []).sorted { $0.number < $1.number }.map { aksi in
                        .init(
                            number: aksi.number, title: aksi.title,
                            outputs: byCode(outputsByAksi[aksi.id ?? 0] ?? [], \.code).map { output in
                                .init(
                                    code: output.code, title: output.title,
                                    indicators: byCode(indicatorsByOutput[output.id ?? 0] ?? [], \.code).map {
                                        .init(
                                            code: $0.code, description: $0.description, unit: $0.unit,
                                            kind: $0.kind.rawValue, weight: $0.weight, finalTarget: $0.finalTarget)
                                    })
                            })
                    })
            })
        return try APIResponses.json(plan)
    }

    struct InstansiItem: Encodable {
        let id: Int
        let name: String
        @AlwaysPresent var abbreviation: String?
        let kind: String
        @AlwaysPresent var provinceCode: String?
        let active: Bool
        let timnasMember: Bool

    }

    @Sendable func instansi(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, Set(["kind", "province"]).union(APIQuery.paging))
        let page = try APIPageRequest(request)
        var query = Instansi.query(on: request.db).sort(\.$name).sort(\.$id)
        if let kind = try APIQuery.choice("kind", in: request, as: InstansiKind.self) {
            query = query.filter(\.$kind == kind)
        }
        if let province = try APIQuery.matching(
            "province", in: request, pattern: "^[0-9]{2}$", expected: "api.expected.province_code")
        {
            query = query.filter(\.$provinceCode == province)
        }
        let (items, info) = try await page.load(query)
        return try APIResponses.json(
            APIPage(
                data: items.map {
                    InstansiItem(
                        id: $0.id ?? 0, name: $0.name, abbreviation: $0.abbreviation, kind: $0.kind.rawValue,
                        provinceCode: $0.provinceCode, active: $0.isActive, timnasMember: $0.isTimnasMember)
                }, page: info))
    }

    // MARK: - Targets, results, scores

    static let lineFilters = Set(["instansi", "indicator", "triwulan"]).union(APIQuery.paging)

    /// The filters shared by targets and results, applied to a query of targets.
    private func filteredTargets(_ request: Request, cycle: Cycle) async throws -> QueryBuilder<Target> {
        let cycleID = try cycle.requireID()
        var query = Target.query(on: request.db)
            .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
            .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
            .filter(Triwulan.self, \.$cycle.$id == cycleID)
        if let instansi = try APIQuery.integer("instansi", in: request, range: 1...Int(Int32.max)) {
            query = query.filter(\.$instansi.$id == instansi)
        }
        if let code = try APIQuery.matching(
            "indicator", in: request, pattern: #"^[0-9]+(\.[0-9]+)*$"#, expected: "api.expected.indicator_code")
        {
            // Codes repeat across cycles; a target's indicator is of its triwulan's cycle, filtered above.
            query = query.filter(Indicator.self, \.$code == code)
        }
        if let triwulan = try APIQuery.integer("triwulan", in: request, range: 1...ReportingCalendar.triwulanPerCycle) {
            query = query.filter(Triwulan.self, \.$number == triwulan)
        }
        return query.sort(Indicator.self, \.$code).sort(\.$instansi.$id).sort(Triwulan.self, \.$number)
    }

    struct TargetItem: Encodable {
        let indicator: String
        let instansi: Int
        let triwulan: Int
        let value: Double
        @AlwaysPresent var description: String?

    }

    @Sendable func targets(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, Self.lineFilters)
        let cycle = try await Self.cycle(request)
        let page = try APIPageRequest(request)
        let (items, info) = try await page.load(try await self.filteredTargets(request, cycle: cycle))
        return try APIResponses.json(
            APIPage(
                data: try items.map {
                    TargetItem(
                        indicator: try $0.joined(Indicator.self).code, instansi: $0.$instansi.id,
                        triwulan: try $0.joined(Triwulan.self).number, value: $0.value, description: $0.description)
                }, page: info))
    }

    struct ResultItem: Encodable {
        let indicator: String
        let instansi: Int
        let triwulan: Int
        let target: Double
        @AlwaysPresent var claimed: Double?
        let verified: Double
        let verifiedAt: Date

    }

    @Sendable func results(request: Request) async throws -> Response {
        request.shows(.nation)
        try APIQuery.requireKnown(request, Self.lineFilters)
        let cycle = try await Self.cycle(request)
        let page = try APIPageRequest(request)
        let query = try await self.filteredTargets(request, cycle: cycle)
            .join(ReportLine.self, on: \Target.$id == \ReportLine.$target.$id)
            .filter(ReportLine.self, \.$state == .accepted)
        let (items, info) = try await page.load(query)
        return try APIResponses.json(
            APIPage(
                data: try items.map { target in
                    let line = try target.joined(ReportLine.self)
                    return ResultItem(
                        indicator: try target.joined(Indicator.self).code, instansi: target.$instansi.id,
                        triwulan: try target.joined(Triwulan.self).number, target: target.value,
                        claimed: line.capaian, verified: line.verifiedValue ?? 0,
                        verifiedAt: line.verifiedAt ?? line.updatedAt)
                }, page: info))
    }

    struct ScoreItem: Encodable {
        let triwulan: Int
        let voice: String
        let scope: String
        @AlwaysPresent var subject: String?
        @AlwaysPresent var aksi: Int?
        let score: Double

    }

    @Sendable func scores(request: Request) async throws -> Response {
        request.shows(.nation)
        try APIQuery.requireKnown(request, Set(["triwulan", "scope", "voice"]).union(APIQuery.paging))
        let cycle = try await Self.cycle(request)
        let cycleID = try cycle.requireID()
        let page = try APIPageRequest(request)
        var query = ScoreRow.query(on: request.db).filter(\.$cycle.$id == cycleID)
        if let triwulan = try APIQuery.integer("triwulan", in: request, range: 1...ReportingCalendar.triwulanPerCycle) {
            query = query.filter(\.$triwulan == triwulan)
        }
        if let scope = try APIQuery.choice("scope", in: request, as: ScoreRow.Scope.self) {
            query = query.filter(\.$scope == scope)
        }
        if let voice = try APIQuery.choice("voice", in: request, as: Scoring.Voice.self) {
            query = query.filter(\.$voice == voice)
        }
        query = query.sort(\.$triwulan).sort(\.$voice).sort(\.$scope).sort(\.$aksiID).sort(\.$subjectID)
        let (rows, info) = try await page.load(query)
        // Public codes for internal ids: fokus and output and indicator codes, aksi numbers; instansi keep their ids.
        let fokus = try await Fokus.query(on: request.db).filter(\.$cycle.$id == cycleID).all()
        let tree = try await PlanStore(database: request.db).tree(cycleID: cycleID)
        let fokusCode = Dictionary(uniqueKeysWithValues: fokus.compactMap { f in f.id.map { ($0, f.code) } })
        let aksiNumber = Dictionary(uniqueKeysWithValues: tree.aksi.compactMap { a in a.id.map { ($0, a.number) } })
        let outputCode = Dictionary(uniqueKeysWithValues: tree.outputs.compactMap { o in o.id.map { ($0, o.code) } })
        let indicatorCode = Dictionary(
            uniqueKeysWithValues: tree.indicators.compactMap { i in i.id.map { ($0, i.code) } })
        return try APIResponses.json(
            APIPage(
                data: rows.map { row in
                    let subject: String? =
                        switch row.scope {
                        case .national: nil
                        case .fokus: fokusCode[row.subjectID]
                        case .aksi: aksiNumber[row.subjectID].map(String.init)
                        case .output: outputCode[row.subjectID]
                        case .indicator: indicatorCode[row.subjectID]
                        case .instansi, .instansiInAksi: String(row.subjectID)
                        }
                    return ScoreItem(
                        triwulan: row.triwulan, voice: row.voice.rawValue, scope: row.scope.rawValue,
                        subject: subject, aksi: row.scope == .instansiInAksi ? aksiNumber[row.aksiID] : nil,
                        score: row.score)
                }, page: info))
    }

    struct RevisionItem: Encodable {
        let indicator: String
        let instansi: Int
        let triwulan: Int
        @AlwaysPresent var oldValue: Double?
        @AlwaysPresent var newValue: Double?
        let reason: String
        let at: Date

    }

    /// Changes to published targets, each with its public reason, oldest first.
    @Sendable func revisions(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, Set(["instansi", "indicator"]).union(APIQuery.paging))
        let cycle = try await Self.cycle(request)
        let page = try APIPageRequest(request)
        var query = TargetRevision.query(on: request.db)
            .join(Triwulan.self, on: \TargetRevision.$triwulan.$id == \Triwulan.$id)
            .join(Indicator.self, on: \TargetRevision.$indicator.$id == \Indicator.$id)
            .filter(Triwulan.self, \.$cycle.$id == (try cycle.requireID()))
        if let instansi = try APIQuery.integer("instansi", in: request, range: 1...Int(Int32.max)) {
            query = query.filter(\.$instansi.$id == instansi)
        }
        if let code = try APIQuery.matching(
            "indicator", in: request, pattern: #"^[0-9]+(\.[0-9]+)*$"#, expected: "api.expected.indicator_code")
        {
            query = query.filter(Indicator.self, \.$code == code)
        }
        let (items, info) = try await page.load(query.sort(\.$at).sort(\.$id))
        return try APIResponses.json(
            APIPage(
                data: try items.map {
                    RevisionItem(
                        indicator: try $0.joined(Indicator.self).code, instansi: $0.$instansi.id,
                        triwulan: try $0.joined(Triwulan.self).number, oldValue: $0.oldValue, newValue: $0.newValue,
                        reason: $0.reason, at: $0.at)
                }, page: info))
    }

    struct DisciplineItem: Encodable {
        let instansi: Int
        let due: Int
        let reportedByDue: Int
        let submitted: Int
        let onTime: Int
        let returns: Int
        @AlwaysPresent var medianDaysToVerify: Double?
        let judgedOn: String

    }

    /// Each instansi's reporting discipline in the cycle, as the public league table counts it.
    @Sendable func discipline(request: Request) async throws -> Response {
        request.shows(.nation)
        try APIQuery.requireKnown(request, Set(["instansi"]).union(APIQuery.paging))
        let cycle = try await Self.cycle(request)
        let page = try APIPageRequest(request)
        var query = DisciplineRow.query(on: request.db).filter(\.$cycle.$id == (try cycle.requireID()))
            .filter(\.$scope == .instansi)
        if let instansi = try APIQuery.integer("instansi", in: request, range: 1...Int(Int32.max)) {
            query = query.filter(\.$subjectID == instansi)
        }
        let (rows, info) = try await page.load(query.sort(\.$subjectID))
        return try APIResponses.json(
            APIPage(
                data: rows.map {
                    DisciplineItem(
                        instansi: $0.subjectID, due: $0.due, reportedByDue: $0.reportedByDue, submitted: $0.submitted,
                        onTime: $0.onTime, returns: $0.returns, medianDaysToVerify: $0.medianDays,
                        judgedOn: $0.computedOn)
                }, page: info))
    }

    struct SnapshotItem: Encodable {
        let triwulan: Int
        let publishedAt: Date
        let sha256: String
        let url: String
        /// The PDF printed at publication and its SHA-256; absent for reports published before the portal kept one.
        let pdfSha256: String?
        let pdfUrl: String?
    }

    /// The published triwulan reports: when, their SHA-256, and where their canonical JSON and their PDF are.
    @Sendable func snapshots(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, [])
        let cycle = try await Self.cycle(request)
        let snapshots = try await ResultSnapshot.query(on: request.db).filter(\.$cycle.$id == (try cycle.requireID()))
            .sort(\.$triwulan).all()
        return try APIResponses.json(
            [
                "data": snapshots.map { snapshot in
                    SnapshotItem(
                        triwulan: snapshot.triwulan, publishedAt: snapshot.publishedAt, sha256: snapshot.sha256,
                        url: SiteURL.resultReportJSON(cycle.code, snapshot.triwulan), pdfSha256: snapshot.pdfSHA256,
                        pdfUrl: snapshot.pdfSHA256.map { _ in SiteURL.resultReportPDF(cycle.code, snapshot.triwulan) })
                }
            ])
    }

    struct InputItem: Encodable {
        let id: Int
        let kind: String
        let instansi: Int
        @AlwaysPresent var aksi: Int?
        @AlwaysPresent var author: String?
        let createdOn: String
        let body: String
        @AlwaysPresent var answer: String?
        @AlwaysPresent var answeredOn: String?

    }

    /// Published usulan and pertanyaan with the instansi's answers; never the e-mail address anyone left.
    @Sendable func inputs(request: Request) async throws -> Response {
        request.shows()
        try APIQuery.requireKnown(request, Set(["instansi", "kind"]).union(APIQuery.paging))
        let page = try APIPageRequest(request)
        var query = PublicInput.query(on: request.db).filter(\.$state == .disetujui).with(\.$aksi)
        if let instansi = try APIQuery.integer("instansi", in: request, range: 1...Int(Int32.max)) {
            query = query.filter(\.$instansi.$id == instansi)
        }
        if let kind = try APIQuery.choice("kind", in: request, as: PublicInputKind.self) {
            query = query.filter(\.$kind == kind)
        }
        let (items, info) = try await page.load(query.sort(\.$id))
        return try APIResponses.json(
            APIPage(
                data: items.map {
                    InputItem(
                        id: $0.id ?? 0, kind: $0.kind.rawValue, instansi: $0.$instansi.id, aksi: $0.aksi?.number,
                        author: $0.author.isEmpty ? nil : $0.author, createdOn: $0.createdOn, body: $0.body,
                        answer: $0.answer, answeredOn: $0.answeredOn)
                }, page: info))
    }

    // MARK: - The change log

    struct AuditHeadItem: Encodable {
        let count: Int
        let hash: String
    }

    @Sendable func auditHead(request: Request) async throws -> Response {
        request.shows(.trail)
        try APIQuery.requireKnown(request, [])
        let head = try await AuditTrail(database: request.db, clock: request.application.clock).head()
        return try APIResponses.json(AuditHeadItem(count: head.count, hash: head.hash))
    }

    // MARK: - Internals

    /// The published cycle of the path's code, or a 404 that names it.
    static func cycle(_ request: Request) async throws -> Cycle {
        let code = request.parameters.get("cycle") ?? ""
        guard let cycle = try await Cycle.find(code: code, on: request.db), cycle.isPublished else {
            throw APIError.unknownCycle(String(code.prefix(40)))
        }
        return cycle
    }
}
