import Fluent
import StranasCore
import Vapor

/// `/aksi/{nomor}`: one aksi with its outputs, indicators, pelaksana and every instansi's target per triwulan.
struct AksiController: RouteCollection {
    struct PelaksanaEntry: Encodable {
        let instansiID: Int
        let name: String
        let kind: String
        let role: String
        let isCoordinator: Bool
    }

    /// The pelaksana of one kind. Long groups (all provinces, the pilot kab/kota) start folded.
    struct PelaksanaGroup: Encodable {
        static let foldAbove = 12

        let heading: String
        let entries: [PelaksanaEntry]
        let isFolded: Bool
    }

    struct IndicatorSection: Encodable {
        let code: String
        let description: String
        let unit: String
        let kind: String
        let finalTarget: String
        let provenance: String?
        let rows: [TargetRow]
        let revisions: [TargetRevisionLine]
        let hasRevisions: Bool
        let verified: [VerifiedLine]
        let hasVerified: Bool
    }

    /// An accepted report line: the instansi's claim beside Setnas's verified value, and the public evidence.
    struct VerifiedLine: Encodable {
        let instansiName: String
        let triwulan: String
        let target: String
        let claimed: String
        let verified: String
        let note: String?
        let evidence: [PublicEvidence]
    }

    struct PublicEvidence: Encodable {
        let fileName: String
        let sha256: String
        let url: String
    }

    struct OutputSection: Encodable {
        let code: String
        let title: String
        let indicators: [IndicatorSection]
    }

    struct AksiPage: Encodable {
        let page: PageContext
        let number: Int
        let title: String
        let fokusName: String
        let coordinators: [PelaksanaEntry]
        let hasCoordinators: Bool
        let pelaksana: [PelaksanaGroup]
        let columns: [TriwulanColumn]
        let outputs: [OutputSection]
        let breakdown: [Scorecard.Row]
        let hasBreakdown: Bool
        let breakdownTriwulan: String
        let aksiScore: Scorecard.Row
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("aksi", ":nomor", use: self.show)
    }

    @Sendable func show(request: Request) async throws -> View {
        guard let number = request.parameters.get("nomor", as: Int.self) else { throw PageError.notFound() }
        let cycle = try await CycleLookup.cycle(for: request)
        guard let page = try await Self.query(number: number, cycle: cycle, request: request) else {
            throw PageError.notFound("error.aksi_not_found", String(number), cycle.code)
        }
        return try await request.view.render("aksi", page)
    }

    static func query(number: Int, cycle: Cycle, request: Request) async throws -> AksiPage? {
        let cycleID = try cycle.requireID()
        guard
            let aksi = try await Aksi.query(on: request.db)
                .filter(\.$cycle.$id == cycleID)
                .filter(\.$number == number)
                .with(\.$fokus)
                .with(\.$outputs, { $0.with(\.$indicators) })
                .first()
        else { return nil }
        let aksiID = try aksi.requireID()

        let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycleID).all()
        let assignments = try await Pelaksana.query(on: request.db)
            .filter(\.$aksi.$id == aksiID)
            .with(\.$instansi)
            .all()
        let indicatorIDs = aksi.outputs.flatMap { $0.indicators.compactMap(\.id) }
        let targets =
            indicatorIDs.isEmpty
            ? []
            : try await Target.query(on: request.db).filter(\.$indicator.$id ~~ indicatorIDs).all()

        let format = request.displayFormat
        let triwulanNumbers = Dictionary(uniqueKeysWithValues: triwulan.compactMap { t in t.id.map { ($0, t.number) } })

        // The aksi's coordinator first, then coordinators of an output, then by kind (K/L, provinsi, kab/kota)
        // and name.
        let aksiCoordinatorIDs = Set(
            assignments.filter { $0.$output.id == nil && $0.role == .koordinator }.map { $0.$instansi.id })
        let coordinatorIDs = Set(assignments.filter { $0.role == .koordinator }.map { $0.$instansi.id })
        let instansiByID = Dictionary(
            assignments.map { ($0.$instansi.id, $0.instansi) }, uniquingKeysWith: { a, _ in a })
        func rank(_ instansi: Instansi) -> (Int, Int, String) {
            let id = instansi.id ?? 0
            let role = aksiCoordinatorIDs.contains(id) ? 0 : coordinatorIDs.contains(id) ? 1 : 2
            return (role, InstansiKind.allCases.firstIndex(of: instansi.kind)!, instansi.name)
        }
        func order(_ lhs: Instansi, _ rhs: Instansi) -> Bool { rank(lhs) < rank(rhs) }

        let roleByOutputAndInstansi = Dictionary(
            assignments.compactMap { a in a.$output.id.map { ("\($0)|\(a.$instansi.id)", a.role) } },
            uniquingKeysWith: { first, _ in first })

        let targetsByIndicator = Dictionary(grouping: targets, by: { $0.$indicator.id })
        let revisions =
            indicatorIDs.isEmpty
            ? []
            : try await TargetRevision.query(on: request.db).filter(\.$indicator.$id ~~ indicatorIDs)
                .with(\.$instansi).sort(\.$at, .descending).sort(\.$id, .descending).all()
        let revisionsByIndicator = Dictionary(grouping: revisions, by: { $0.$indicator.id })
        let verifiedByIndicator = try await Self.verifiedLines(
            indicatorIDs: indicatorIDs, cycle: cycle, triwulanNumbers: triwulanNumbers, request: request)
        let outputs = aksi.outputs.sorted { $0.position < $1.position }.map { output in
            OutputSection(
                code: output.code, title: output.title,
                indicators: output.indicators.sorted { $0.code < $1.code }.map { indicator in
                    var values: [Int: [Int: Double]] = [:]
                    for target in targetsByIndicator[indicator.id ?? 0] ?? [] {
                        if let number = triwulanNumbers[target.$triwulan.id] {
                            values[target.$instansi.id, default: [:]][number] = target.value
                        }
                    }
                    let rows = values.keys.compactMap { instansiByID[$0] }.sorted(by: order).map { instansi in
                        TargetRow(
                            instansiID: instansi.id!, instansiName: instansi.name,
                            role: roleByOutputAndInstansi["\(output.id!)|\(instansi.id!)"].map(request.label),
                            cells: (1...triwulan.count).map { number in
                                values[instansi.id!]?[number].map { format.number($0) } ?? "–"
                            })
                    }
                    let history = (revisionsByIndicator[indicator.id ?? 0] ?? []).map { revision in
                        TargetRevisionLine(
                            change: request.t(
                                "aksi.revision", revision.instansi.name,
                                request.triwulanLabel(
                                    number: triwulanNumbers[revision.$triwulan.id] ?? 0, startYear: cycle.startYear),
                                revision.oldValue.map { format.number($0) } ?? "–",
                                revision.newValue.map { format.number($0) } ?? "–"),
                            reason: revision.reason,
                            date: request.t("aksi.revision_on", format.timestamp(revision.at)))
                    }
                    return IndicatorSection(
                        code: indicator.code, description: indicator.description, unit: indicator.unit,
                        kind: request.label(indicator.kind), finalTarget: format.number(indicator.finalTarget),
                        provenance: indicator.provenance, rows: rows, revisions: history,
                        hasRevisions: !history.isEmpty, verified: verifiedByIndicator[indicator.id ?? 0] ?? [],
                        hasVerified: verifiedByIndicator[indicator.id ?? 0] != nil)
                })
        }

        var seen = Set<Int>()
        let pelaksana = assignments.map(\.instansi).sorted(by: order).filter { seen.insert($0.id!).inserted }
        func entry(_ instansi: Instansi) -> PelaksanaEntry {
            let isCoordinator = coordinatorIDs.contains(instansi.id!)
            return PelaksanaEntry(
                instansiID: instansi.id!, name: instansi.name, kind: request.label(instansi.kind),
                role: request.label(isCoordinator ? PelaksanaRole.koordinator : .pelaksana),
                isCoordinator: isCoordinator)
        }
        let groups = InstansiKind.allCases.compactMap { kind -> PelaksanaGroup? in
            let members = pelaksana.filter { $0.kind == kind }.map(entry)
            guard !members.isEmpty else { return nil }
            return PelaksanaGroup(
                heading: request.t("aksi.pelaksana_group", request.label(kind), String(members.count)),
                entries: members, isFolded: members.count > PelaksanaGroup.foldAbove)
        }

        // The aksi's score and each instansi's score in it, at the end of the latest triwulan that has ended.
        let scoreTriwulan = try await DashboardController.triwulan(for: cycle, request: request)
        let scoreRows = try await ScoreRow.query(on: request.db).filter(\.$cycle.$id == cycleID)
            .filter(\.$triwulan == scoreTriwulan)
            .group(.or) { group in
                group.filter(\.$aksiID == aksiID)
                group.group(.and) { $0.filter(\.$scope == .aksi).filter(\.$subjectID == aksiID) }
            }
            .all()
        func scoreRow(_ label: String, _ verified: Double?, _ own: Double?) -> Scorecard.Row {
            Scorecard.Row(label: label, verified: verified, selfReported: own, format: format)
        }
        var verifiedIn: [Int: Double] = [:]
        var claimedIn: [Int: Double] = [:]
        var aksiScores: [Scoring.Voice: Double] = [:]
        for row in scoreRows {
            switch row.scope {
            case .instansiInAksi where row.voice == .verified: verifiedIn[row.subjectID] = row.score
            case .instansiInAksi: claimedIn[row.subjectID] = row.score
            case .aksi: aksiScores[row.voice] = row.score
            default: break
            }
        }
        let breakdownIDs = Set(verifiedIn.keys).union(claimedIn.keys)
        var breakdown: [Scorecard.Row] = []
        for id in breakdownIDs {
            guard let instansi = instansiByID[id] else { continue }
            breakdown.append(scoreRow(instansi.name, verifiedIn[id], claimedIn[id]))
        }
        breakdown.sort { lhs, rhs in
            let left = lhs.verified ?? -1
            let right = rhs.verified ?? -1
            return left != right ? left > right : lhs.label < rhs.label
        }

        return AksiPage(
            page: PageContext(
                request: request, title: request.t("aksi.title", String(aksi.number), aksi.title), cycle: cycle),
            number: aksi.number, title: aksi.title, fokusName: aksi.fokus.name,
            coordinators: pelaksana.filter { aksiCoordinatorIDs.contains($0.id!) }.map(entry),
            hasCoordinators: !aksiCoordinatorIDs.isEmpty,
            pelaksana: groups,
            columns: TriwulanColumn.columns(for: triwulan, startYear: cycle.startYear, request: request),
            outputs: outputs, breakdown: breakdown, hasBreakdown: !breakdown.isEmpty,
            breakdownTriwulan: request.triwulanLabel(number: scoreTriwulan, startYear: cycle.startYear),
            aksiScore: scoreRow("", aksiScores[.verified], aksiScores[.selfReported]))
    }

    /// Accepted lines of these indicators, by indicator, with the evidence their latest version marks public.
    static func verifiedLines(
        indicatorIDs: [Int], cycle: Cycle, triwulanNumbers: [Int: Int], request: Request
    ) async throws -> [Int: [VerifiedLine]] {
        guard !indicatorIDs.isEmpty else { return [:] }
        let lines = try await ReportLine.query(on: request.db)
            .filter(\.$state == .accepted)
            .join(Target.self, on: \ReportLine.$target.$id == \Target.$id)
            .filter(Target.self, \.$indicator.$id ~~ indicatorIDs)
            .with(\.$target) { $0.with(\.$instansi) }
            .all()
        guard !lines.isEmpty else { return [:] }
        let versions = try await ReportVersion.query(on: request.db).filter(\.$line.$id ~~ lines.compactMap(\.id)).all()
        let latestVersionIDs = Set(
            lines.compactMap { line in versions.first { $0.$line.id == line.id && $0.number == line.version }?.id })
        let evidence =
            latestVersionIDs.isEmpty
            ? []
            : try await ReportEvidence.query(on: request.db).filter(\.$version.$id ~~ Array(latestVersionIDs))
                .filter(\.$isPublic == true).sort(\.$id).all()
        let lineIDByVersion = Dictionary(uniqueKeysWithValues: versions.map { ($0.id!, $0.$line.id) })
        let evidenceByLine = Dictionary(grouping: evidence, by: { lineIDByVersion[$0.$version.id] ?? 0 })
        let format = request.displayFormat
        var result: [Int: [VerifiedLine]] = [:]
        for line in lines.sorted(by: {
            ($0.target.instansi.name, $0.target.$triwulan.id) < ($1.target.instansi.name, $1.target.$triwulan.id)
        }) {
            let number = triwulanNumbers[line.target.$triwulan.id] ?? 0
            result[line.target.$indicator.id, default: []].append(
                VerifiedLine(
                    instansiName: line.target.instansi.name,
                    triwulan: request.triwulanLabel(number: number, startYear: cycle.startYear),
                    target: format.number(line.target.value), claimed: line.capaian.map { format.number($0) } ?? "–",
                    verified: line.verifiedValue.map { format.number($0) } ?? "–", note: line.verificationNote,
                    evidence: (evidenceByLine[line.id!] ?? []).map {
                        PublicEvidence(
                            fileName: $0.fileName, sha256: $0.$blob.id,
                            url: EvidenceController.url(sha256: $0.$blob.id, targetID: line.$target.id))
                    }))
        }
        return result
    }
}
