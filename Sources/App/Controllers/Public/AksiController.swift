import Fluent
import StranasCore
import Vapor

/// `/aksi/{nomor}`: one aksi with its score and each instansi's share, its pelaksana, and per indicator the targets
/// per triwulan, the latest verified results and the target revisions.
/// `/aksi/{nomor}/indikator/{kode}`: one indicator's targets and every verified result, a region at a time.
///
/// At national scale an indicator can be carried by all 514 kab/kota: the aksi page then lists the targets of K/L and
/// provinces and leaves the kab/kota to the indicator page, one province at a time, so that no page grows with the
/// size of the country.
struct AksiController: RouteCollection {
    /// The aksi page lists every kab/kota's targets up to this many kab/kota pelaksana.
    static let kabKotaInline = 40
    /// Verified results per indicator on the aksi page (the most recent); the indicator page has them all.
    static let verifiedInline = 10
    static let regionParameter = "wilayah"

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
        let url: String
        let rows: [TargetRow]
        /// Why some instansi's targets are not in the table, and where they are.
        let omittedNote: String?
        let revisions: [TargetRevisionLine]
        let hasRevisions: Bool
        let verified: [VerifiedLine]
        let hasVerified: Bool
        /// "The latest 10 of 1,234": set when the list is cut short.
        let verifiedNote: String?
    }

    /// An accepted report line: the instansi's claim beside Setnas's verified value, and the public evidence.
    struct VerifiedLine: Encodable {
        let targetID: Int
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
        /// "2 usulan dan 1 pertanyaan ditayangkan." and where they are, with the form to add one.
        let inputsLine: String
        let inputsURL: String
        let pelaksana: [PelaksanaGroup]
        let regionName: String
        let regions: [RegionLink]
        let hasRegions: Bool
        let columns: [TriwulanColumn]
        let outputs: [OutputSection]
        let showIndicatorLink = true
        let breakdown: [Scorecard.Row]
        let hasBreakdown: Bool
        let breakdownTriwulan: String
        let breakdownTriwulanNumber: Int
        /// The breakdown as CSV, for the same cycle and region.
        let breakdownCSVURL: String
        let aksiScore: Scorecard.Row
        /// The one-screen summary: how many pelaksana have a verified result, and who lags most.
        let summaryProgress: String
        let lagging: [Scorecard.Row]
        let hasLagging: Bool
    }

    /// How many of the lowest-scoring pelaksana the summary names.
    static let laggingShown = 3

    struct RegionLink: Encodable {
        let label: String
        let url: String
        let isCurrent: Bool
    }

    struct IndicatorPage: Encodable {
        let page: PageContext
        let number: Int
        let aksiURL: String
        let aksiTitle: String
        let outputCode: String
        let outputTitle: String
        let regionName: String
        let regions: [RegionLink]
        let columns: [TriwulanColumn]
        let indicator: IndicatorSection
        let showIndicatorLink = false
    }

    func boot(routes: any RoutesBuilder) throws {
        let known: Set<String> = [CycleLookup.queryParameter, "triwulan", Self.regionParameter]
        routes.get(SiteURL.aksi, use: self.show).knowing(query: known)
        routes.get(SiteURL.aksiScores, use: self.scoresCSV).knowing(query: known)
        routes.get(SiteURL.indicator, use: self.showIndicator).knowing(query: known)
    }

    /// An aksi's page in a cycle, for one region (the default view when nil).
    static func path(number: Int, cycle: String, region: String? = nil) -> String {
        SiteURL.aksi(number, query: Self.query(cycle: cycle, region: region))
    }

    /// The aksi's score and each instansi's score in it as CSV, for one region (the default view when nil).
    static func scoresCSVPath(number: Int, cycle: String, region: String? = nil) -> String {
        SiteURL.aksiScores(number, query: Self.query(cycle: cycle, region: region))
    }

    /// An indicator's page in a cycle, for one region (K/L and provinces when nil).
    static func indicatorPath(number: Int, code: String, cycle: String, region: String? = nil) -> String {
        SiteURL.indicator(number, code, query: Self.query(cycle: cycle, region: region))
    }

    private static func query(cycle: String, region: String?) -> [(String, String?)] {
        [(CycleLookup.queryParameter, cycle), (Self.regionParameter, region)]
    }

    // MARK: - The aksi page

    @Sendable func show(request: Request) async throws -> View {
        guard let number = request.parameters.get("nomor", as: Int.self) else { throw PageError.notFound() }
        let cycle = try await CycleLookup.cycle(for: request)
        guard let page = try await Self.query(number: number, cycle: cycle, request: request) else {
            throw PageError.notFound("error.aksi_not_found", String(number), cycle.code)
        }
        return try await request.view.render("aksi", page)
    }

    /// The aksi page's score table as CSV: the aksi as a whole, then each instansi in it, for the page's region.
    @Sendable func scoresCSV(request: Request) async throws -> Response {
        guard let number = request.parameters.get("nomor", as: Int.self) else { throw PageError.notFound() }
        let cycle = try await CycleLookup.cycle(for: request)
        guard let page = try await Self.query(number: number, cycle: cycle, request: request) else {
            throw PageError.notFound("error.aksi_not_found", String(number), cycle.code)
        }
        let percent = CSVDownload.percent
        let rows =
            [["bagian", "nama", "terverifikasi_persen", "klaim_instansi_persen"]]
            + [["aksi", page.title, percent(page.aksiScore.verified), percent(page.aksiScore.selfReported)]]
            + page.breakdown.map { ["instansi", $0.label, percent($0.verified), percent($0.selfReported)] }
        return CSVDownload.response(
            rows, fileName: "skor-aksi-\(number)-\(cycle.code)-tw\(page.breakdownTriwulanNumber).csv")
    }

    static func query(number: Int, cycle: Cycle, request: Request) async throws -> AksiPage? {
        let cycleID = try cycle.requireID()
        let records = AksiRecords(database: request.db)
        let tree = try await records.plan(cycleID: cycleID, number: number)
        guard let aksi = tree.first else { return nil }
        request.shows(.aksi(aksi.aksiID))
        let pelaksana = Pelaksana(try await records.pelaksana(aksiID: aksi.aksiID), request: request)
        let indicatorIDs = tree.compactMap(\.indicatorID)

        // With few kab/kota everyone is on the page; with many, K/L and provinces, or one province at a time.
        let kabKota = pelaksana.instansi.values.filter { $0.kind == .kabkota }.count
        let choice = try RegionChoice(
            request: request, pelaksana: pelaksana, splits: kabKota > Self.kabKotaInline,
            link: { Self.path(number: number, cycle: cycle.code, region: $0) })
        let region = choice.region
        let targets = try await records.targets(indicatorIDs: indicatorIDs, in: region)
        let revisions = try await records.revisions(indicatorIDs: indicatorIDs, in: region)
        let verified = try await records.verified(
            indicatorIDs: indicatorIDs, in: region == .withoutKabKota ? .everyone : region,
            latest: Self.verifiedInline)
        let evidence = try await records.publicEvidence(versionIDs: verified.compactMap(\.versionID))

        let omittedNote =
            region == .withoutKabKota
            ? request.t("aksi.kabkota_elsewhere", request.displayFormat.number(Double(kabKota))) : nil
        let sections = Sections(
            request: request, cycle: cycle, aksiNumber: number, region: choice.provinceCode, pelaksana: pelaksana,
            targets: targets, revisions: revisions, verified: verified, evidence: evidence)
        let outputs = Self.outputs(of: tree).map { output in
            OutputSection(
                code: output.code, title: output.title,
                indicators: output.indicators.map {
                    sections.section($0, outputID: output.id, omittedNote: omittedNote)
                })
        }

        // The aksi's score and each instansi's score in it, at the end of the latest triwulan with results.
        let scoreTriwulan = try await request.publicTriwulan(of: cycle)
        let format = request.displayFormat
        var verifiedIn: [Int: Double] = [:]
        var claimedIn: [Int: Double] = [:]
        var aksiScores: [Scoring.Voice: Double] = [:]
        for row in try await records.scores(cycleID: cycleID, aksiID: aksi.aksiID, triwulan: scoreTriwulan) {
            switch row.scope {
            case .instansiInAksi where row.voice == .verified: verifiedIn[row.subjectID] = row.score
            case .instansiInAksi: claimedIn[row.subjectID] = row.score
            case .aksi: aksiScores[row.voice] = row.score
            default: break
            }
        }
        var breakdown = Set(verifiedIn.keys).union(claimedIn.keys).compactMap { id -> Scorecard.Row? in
            guard let instansi = pelaksana.instansi[id], instansi.isIn(region) else { return nil }
            return Scorecard.Row(
                label: instansi.name, verified: verifiedIn[id], selfReported: claimedIn[id], format: format)
        }
        breakdown.sort { lhs, rhs in
            let left = lhs.verified ?? -1
            let right = rhs.verified ?? -1
            return left != right ? left > right : lhs.label < rhs.label
        }

        // Who lags most: the lowest verified scores, named only when there are more pelaksana than that.
        let lagging = breakdown.count > Self.laggingShown ? Array(breakdown.suffix(Self.laggingShown).reversed()) : []

        return AksiPage(
            page: PageContext(
                request: request, title: request.t("aksi.title", String(aksi.number), aksi.title), cycle: cycle),
            number: aksi.number, title: aksi.title, fokusName: aksi.fokusName,
            coordinators: pelaksana.ordered.filter { pelaksana.leadsAksi.contains($0.instansiID) }.map(pelaksana.entry),
            hasCoordinators: !pelaksana.leadsAksi.isEmpty,
            inputsLine: request.t("input.counts", String(aksi.usulan), String(aksi.pertanyaan)),
            inputsURL: SiteURL.inputs(query: [("aksi", String(aksi.number)), (CycleLookup.queryParameter, cycle.code)]),
            pelaksana: pelaksana.groups(in: region),
            regionName: choice.name, regions: choice.links, hasRegions: !choice.links.isEmpty,
            columns: TriwulanColumn.columns(startYear: cycle.startYear, request: request),
            outputs: outputs, breakdown: breakdown, hasBreakdown: !breakdown.isEmpty,
            breakdownTriwulan: request.triwulanLabel(number: scoreTriwulan, startYear: cycle.startYear),
            breakdownTriwulanNumber: scoreTriwulan,
            breakdownCSVURL: Self.scoresCSVPath(number: number, cycle: cycle.code, region: choice.provinceCode),
            aksiScore: Scorecard.Row(
                label: "", verified: aksiScores[.verified], selfReported: aksiScores[.selfReported], format: format),
            summaryProgress: request.t(
                "aksi.summary_progress", String(breakdown.filter { ($0.verified ?? 0) > 0 }.count),
                String(pelaksana.instansi.values.filter { $0.isIn(region) }.count),
                request.triwulanLabel(number: scoreTriwulan, startYear: cycle.startYear)),
            lagging: lagging, hasLagging: !lagging.isEmpty)
    }

    // MARK: - The indicator page

    @Sendable func showIndicator(request: Request) async throws -> View {
        guard let number = request.parameters.get("nomor", as: Int.self), let code = request.parameters.get("kode")
        else { throw PageError.notFound() }
        let cycle = try await CycleLookup.cycle(for: request)
        let records = AksiRecords(database: request.db)
        let tree = try await records.plan(cycleID: try cycle.requireID(), number: number)
        guard let aksi = tree.first else {
            throw PageError.notFound("error.aksi_not_found", String(number), cycle.code)
        }
        guard let output = Self.outputs(of: tree).first(where: { $0.indicators.contains { $0.indicatorCode == code } }),
            let indicator = output.indicators.first(where: { $0.indicatorCode == code }),
            let indicatorID = indicator.indicatorID
        else {
            throw PageError.notFound("error.indicator_not_found", String(code.prefix(20)), String(number))
        }
        request.shows(.indicator(indicatorID))
        let pelaksana = Pelaksana(try await records.pelaksana(aksiID: aksi.aksiID), request: request)

        // K/L and provinces, or one province with its kab/kota.
        let choice = try RegionChoice(
            request: request, pelaksana: pelaksana, splits: true,
            link: { Self.indicatorPath(number: number, code: code, cycle: cycle.code, region: $0) })
        let region = choice.region
        let targets = try await records.targets(indicatorIDs: [indicatorID], in: region)
        let revisions = try await records.revisions(indicatorIDs: [indicatorID], in: region)
        let verified = try await records.verified(indicatorIDs: [indicatorID], in: region)
        let evidence = try await records.publicEvidence(versionIDs: verified.compactMap(\.versionID))
        let sections = Sections(
            request: request, cycle: cycle, aksiNumber: number, region: choice.provinceCode, pelaksana: pelaksana,
            targets: targets, revisions: revisions, verified: verified, evidence: evidence)
        let omittedNote =
            region == .withoutKabKota && pelaksana.provinces.contains(where: \.hasKabKota)
            ? request.t("aksi.kabkota_by_province") : nil
        return try await request.view.render(
            "indicator",
            IndicatorPage(
                page: PageContext(
                    request: request, title: request.t("indicator.page_title", code, choice.name), cycle: cycle),
                number: number, aksiURL: Self.path(number: number, cycle: cycle.code, region: choice.provinceCode),
                aksiTitle: aksi.title, outputCode: output.code, outputTitle: output.title,
                regionName: choice.name, regions: choice.links,
                columns: TriwulanColumn.columns(startYear: cycle.startYear, request: request),
                indicator: sections.section(indicator, outputID: output.id, omittedNote: omittedNote)))
    }

    // MARK: - Building blocks

    /// The region a page shows, from `?wilayah=`: K/L and provinces (the default when the page splits by region),
    /// everyone (the default when it does not), or one province with its kab/kota. Links lead to each region.
    struct RegionChoice {
        let region: AksiRecords.Region
        let name: String
        let links: [RegionLink]

        /// The province's code when one is chosen, for links that should keep to it.
        var provinceCode: String? {
            if case .province(let code) = self.region { return code }
            return nil
        }

        init(request: Request, pelaksana: Pelaksana, splits: Bool, link: (String?) -> String) throws {
            // Any province of the aksi can be asked for; links lead to those with kab/kota (the others are whole in
            // the default view).
            let provinces = pelaksana.provinces
            let requested = (try? request.query.get(String.self, at: AksiController.regionParameter)) ?? ""
            if requested.isEmpty || !splits {
                self.region = splits ? .withoutKabKota : .everyone
                self.name = request.t(splits ? "aksi.region_national" : "aksi.region_everyone")
            } else if let province = provinces.first(where: { $0.code == requested }) {
                self.region = .province(province.code)
                self.name = province.name
            } else {
                throw PageError.badRequest("error.unknown_region", String(requested.prefix(20)))
            }
            guard splits else {
                self.links = []
                return
            }
            let current = self.region
            self.links =
                [
                    RegionLink(
                        label: request.t("aksi.region_national"), url: link(nil),
                        isCurrent: current == .withoutKabKota)
                ]
                + provinces.filter(\.hasKabKota).map { province in
                    RegionLink(
                        label: province.name, url: link(province.code), isCurrent: current == .province(province.code))
                }
        }
    }

    struct OutputRows {
        let id: Int
        let code: String
        let title: String
        let indicators: [AksiRecords.PlanRow]
    }

    /// The tree's rows grouped by output, in the plan's order.
    static func outputs(of tree: [AksiRecords.PlanRow]) -> [OutputRows] {
        var result: [OutputRows] = []
        for row in tree {
            guard let id = row.outputID else { continue }
            if result.last?.id == id {
                if row.indicatorID != nil {
                    result[result.count - 1] = OutputRows(
                        id: id, code: result.last!.code, title: result.last!.title,
                        indicators: result.last!.indicators + [row])
                }
            } else {
                result.append(
                    OutputRows(
                        id: id, code: row.outputCode ?? "", title: row.outputTitle ?? "",
                        indicators: row.indicatorID == nil ? [] : [row]))
            }
        }
        return result
    }

    /// The aksi's pelaksana, ordered for reading: the aksi's coordinator first, then coordinators of an output,
    /// then by kind (K/L, provinsi, kab/kota) and name.
    struct Pelaksana {
        struct Instansi {
            let instansiID: Int
            let name: String
            let kind: InstansiKind
            let provinceCode: String?

            func isIn(_ region: AksiRecords.Region) -> Bool {
                switch region {
                case .everyone: true
                case .withoutKabKota: self.kind != .kabkota
                case .province(let code): self.provinceCode == code
                }
            }
        }

        struct Province {
            let code: String
            let name: String
            let hasKabKota: Bool
        }

        let instansi: [Int: Instansi]
        let ordered: [Instansi]
        let leadsAksi: Set<Int>
        let leadsSomething: Set<Int>
        /// The role of an instansi in an output, keyed by output and instansi.
        let roles: [String: PelaksanaRole]
        /// The provinces whose government or kab/kota carry the aksi, by name.
        let provinces: [Province]
        let request: Request

        init(_ rows: [AksiRecords.PelaksanaRow], request: Request) {
            self.request = request
            var instansi: [Int: Instansi] = [:]
            for row in rows {
                instansi[row.instansiID] = Instansi(
                    instansiID: row.instansiID, name: row.name, kind: row.kind, provinceCode: row.provinceCode)
            }
            self.instansi = instansi
            self.leadsAksi = Set(rows.filter { $0.outputID == nil && $0.role == .koordinator }.map(\.instansiID))
            self.leadsSomething = Set(rows.filter { $0.role == .koordinator }.map(\.instansiID))
            var roles: [String: PelaksanaRole] = [:]
            for row in rows {
                if let output = row.outputID, roles["\(output)|\(row.instansiID)"] == nil {
                    roles["\(output)|\(row.instansiID)"] = row.role
                }
            }
            self.roles = roles
            let leadsAksi = self.leadsAksi
            let leadsSomething = self.leadsSomething
            func rank(_ entry: Instansi) -> (Int, Int, String) {
                let role = leadsAksi.contains(entry.instansiID) ? 0 : leadsSomething.contains(entry.instansiID) ? 1 : 2
                return (role, InstansiKind.allCases.firstIndex(of: entry.kind)!, entry.name)
            }
            self.ordered = instansi.values.sorted { rank($0) < rank($1) }

            var provinces: [String: Province] = [:]
            for row in rows {
                guard let code = row.provinceCode else { continue }
                let known = provinces[code]
                switch row.kind {
                case .provinsi:
                    provinces[code] = Province(code: code, name: row.name, hasKabKota: known?.hasKabKota ?? false)
                case .kabkota:
                    provinces[code] = Province(
                        code: code, name: known?.name ?? row.parentName ?? code, hasKabKota: true)
                case .kl:
                    break
                }
            }
            self.provinces = provinces.values.sorted { $0.name < $1.name }
        }

        func entry(_ instansi: Instansi) -> PelaksanaEntry {
            let isCoordinator = self.leadsSomething.contains(instansi.instansiID)
            return PelaksanaEntry(
                instansiID: instansi.instansiID, name: instansi.name, kind: self.request.label(instansi.kind),
                role: self.request.label(isCoordinator ? PelaksanaRole.koordinator : .pelaksana),
                isCoordinator: isCoordinator)
        }

        func groups(in region: AksiRecords.Region) -> [PelaksanaGroup] {
            InstansiKind.allCases.compactMap { kind -> PelaksanaGroup? in
                let members = self.ordered.filter { $0.kind == kind && $0.isIn(region) }.map(self.entry)
                guard !members.isEmpty else { return nil }
                return PelaksanaGroup(
                    heading: self.request.t(
                        "aksi.pelaksana_group", self.request.label(kind), String(members.count)),
                    entries: members, isFolded: members.count > PelaksanaGroup.foldAbove)
            }
        }
    }

    /// Builds indicator sections from the rows read for a page.
    struct Sections {
        let request: Request
        let cycle: Cycle
        let aksiNumber: Int
        /// The province the page shows, which links to indicator pages keep to.
        let region: String?
        let pelaksana: Pelaksana
        let targetsByIndicator: [Int: [AksiRecords.TargetValue]]
        let revisionsByIndicator: [Int: [AksiRecords.RevisionRow]]
        let verifiedByIndicator: [Int: [AksiRecords.VerifiedRow]]
        let evidenceByVersion: [Int: [AksiRecords.EvidenceRow]]
        let order: [Int: Int]

        init(
            request: Request, cycle: Cycle, aksiNumber: Int, region: String?, pelaksana: Pelaksana,
            targets: [AksiRecords.TargetValue], revisions: [AksiRecords.RevisionRow],
            verified: [AksiRecords.VerifiedRow], evidence: [AksiRecords.EvidenceRow]
        ) {
            self.request = request
            self.cycle = cycle
            self.aksiNumber = aksiNumber
            self.region = region
            self.pelaksana = pelaksana
            self.targetsByIndicator = Dictionary(grouping: targets, by: \.indicatorID)
            self.revisionsByIndicator = Dictionary(grouping: revisions, by: \.indicatorID)
            self.verifiedByIndicator = Dictionary(grouping: verified, by: \.indicatorID)
            self.evidenceByVersion = Dictionary(grouping: evidence, by: \.versionID)
            self.order = Dictionary(uniqueKeysWithValues: pelaksana.ordered.enumerated().map { ($1.instansiID, $0) })
        }

        func section(_ indicator: AksiRecords.PlanRow, outputID: Int, omittedNote: String?) -> IndicatorSection {
            let id = indicator.indicatorID ?? 0
            let code = indicator.indicatorCode ?? ""
            let format = self.request.displayFormat
            let startYear = self.cycle.startYear

            var values: [Int: [Int: Double]] = [:]
            var names: [Int: String] = [:]
            for target in self.targetsByIndicator[id] ?? [] {
                values[target.instansiID, default: [:]][target.triwulan] = target.value
                names[target.instansiID] = target.name
            }
            let rows = values.keys.sorted { lhs, rhs in
                let left = self.order[lhs] ?? Int.max
                let right = self.order[rhs] ?? Int.max
                return left != right ? left < right : names[lhs]! < names[rhs]!
            }.map { instansiID in
                TargetRow(
                    instansiID: instansiID, instansiName: names[instansiID]!,
                    role: self.pelaksana.roles["\(outputID)|\(instansiID)"].map(self.request.label),
                    cells: (1...ReportingCalendar.triwulanPerCycle).map { number in
                        values[instansiID]?[number].map { format.number($0) } ?? "–"
                    })
            }

            let history = (self.revisionsByIndicator[id] ?? []).map { revision in
                TargetRevisionLine(
                    change: self.request.t(
                        "aksi.revision", revision.name,
                        self.request.triwulanLabel(number: revision.triwulan, startYear: startYear),
                        revision.oldValue.map { format.number($0) } ?? "–",
                        revision.newValue.map { format.number($0) } ?? "–"),
                    reason: revision.reason,
                    date: self.request.t("aksi.revision_on", format.timestamp(revision.at)))
            }

            let verifiedRows = self.verifiedByIndicator[id] ?? []
            let verified = verifiedRows.map { line in
                VerifiedLine(
                    targetID: line.targetID, instansiName: line.name,
                    triwulan: self.request.triwulanLabel(number: line.triwulan, startYear: startYear),
                    target: format.number(line.target), claimed: line.capaian.map { format.number($0) } ?? "–",
                    verified: line.verifiedValue.map { format.number($0) } ?? "–", note: line.note,
                    evidence: line.versionID.flatMap { self.evidenceByVersion[$0] }.map { files in
                        files.map {
                            PublicEvidence(
                                fileName: $0.fileName, sha256: $0.sha256,
                                url: EvidenceController.url(sha256: $0.sha256, targetID: line.targetID))
                        }
                    } ?? [])
            }
            let total = verifiedRows.first?.total ?? 0
            let verifiedNote =
                total > verified.count
                ? self.request.t(
                    "aksi.verified_latest", format.number(Double(verified.count)), format.number(Double(total)))
                : nil

            return IndicatorSection(
                code: code, description: indicator.description ?? "", unit: indicator.unit ?? "",
                kind: indicator.kind.map(self.request.label) ?? "",
                finalTarget: indicator.finalTarget.map { format.number($0) } ?? "–",
                provenance: indicator.provenance,
                url: AksiController.indicatorPath(
                    number: self.aksiNumber, code: code, cycle: self.cycle.code, region: self.region),
                rows: rows, omittedNote: omittedNote, revisions: history, hasRevisions: !history.isEmpty,
                verified: verified, hasVerified: !verified.isEmpty, verifiedNote: verifiedNote)
        }
    }
}
