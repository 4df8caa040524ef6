import Fluent
import SQLKit
import StranasCore
import Vapor

/// `/verifikasi`: a Verifikator Setnas's queue: lines submitted for the aksi assigned to them, across instansi and
/// cycles, the longest waiting first. Filters by aksi, triwulan, instansi type and province, days waiting, and a search
/// over instansi and indicator; counts what waits and what the filters keep.
struct VerificationQueueController: RouteCollection {
    /// Rows shown at once; the count says how many more the filters keep.
    static let pageSize = 200

    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.verifyReportLines).get(SiteURL.verificationQueue, use: self.show)
    }

    struct Row: Encodable {
        let targetID: Int
        /// The line's page, carrying the filters, so that its "and open the next line" stays in this queue.
        let url: String
        let waitingSince: String
        let waitingDays: String
        let instansi: String
        let indicatorCode: String
        let indicatorName: String
        let aksiNumber: Int
        let triwulan: String
        let target: String
        let capaian: String
        let evidence: String
        let timeliness: String?
    }

    struct QueuePage: Encodable {
        let page: PageContext
        let rows: [Row]
        let hasRows: Bool
        let aksiCount: Int
        let summary: String
        let search: String
        let aksiOptions: [SelectOption]
        let triwulanOptions: [SelectOption]
        let kindOptions: [SelectOption]
        let provinceOptions: [SelectOption]
        let waitingOptions: [SelectOption]
        let isFiltered: Bool
        let csrfToken: String
        let checkURL: String
        let keptCount: Int
        let accepted: Int?
        /// Lines just decided from an uploaded spreadsheet.
        let decided: Int?
        /// The filtered queue as a spreadsheet, and where the decided one goes.
        let sheetURL: String
        let uploadURL: String
        let notice: String?
        let errors: [String]
        let hasErrors: Bool
    }

    /// The filters a verifikator set, read from the query; a value that is not one of the choices is ignored.
    struct Filters {
        var aksiNumber: Int?
        var triwulan: Int?
        var kind: InstansiKind?
        var provinceID: Int?
        var waitingDays: Int?
        var search = ""

        init(_ request: Request) {
            self.aksiNumber = try? request.query.get(Int.self, at: "aksi")
            self.triwulan = (try? request.query.get(Int.self, at: "triwulan")).flatMap {
                (1...ReportingCalendar.triwulanPerCycle).contains($0) ? $0 : nil
            }
            self.kind = (try? request.query.get(String.self, at: "jenis")).flatMap(InstansiKind.init(rawValue:))
            self.provinceID = try? request.query.get(Int.self, at: "provinsi")
            self.waitingDays = (try? request.query.get(Int.self, at: "menunggu")).flatMap {
                Self.waitingChoices.contains($0) ? $0 : nil
            }
            let typed = (try? request.query.get(String.self, at: "cari")) ?? ""
            self.search = String(typed.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        }

        static let waitingChoices = [3, 7, 14, 30]

        /// The filters as a query, for a link or form that keeps them.
        var query: [(String, String?)] {
            [
                ("aksi", self.aksiNumber.map(String.init)), ("triwulan", self.triwulan.map(String.init)),
                ("jenis", self.kind?.rawValue), ("provinsi", self.provinceID.map(String.init)),
                ("menunggu", self.waitingDays.map(String.init)), ("cari", self.search.isEmpty ? nil : self.search),
            ]
        }

        /// Whether `line` is one the filters keep, on `today`.
        func keeps(_ line: Waiting, today: CalendarDate) -> Bool {
            let needle = self.search.lowercased()
            return (self.aksiNumber.map { $0 == line.aksiNumber } ?? true)
                && (self.triwulan.map { $0 == line.triwulan } ?? true)
                && (self.kind.map { $0.rawValue == line.instansiKind } ?? true)
                && (self.provinceID.map { $0 == line.instansiID || $0 == line.parentID } ?? true)
                && (self.waitingDays.map { VerificationQueueController.days(line, today) >= $0 } ?? true)
                && (needle.isEmpty
                    || [line.instansi, line.code, line.description].contains { $0.lowercased().contains(needle) })
        }

        var isSet: Bool {
            self.aksiNumber != nil || self.triwulan != nil || self.kind != nil || self.provinceID != nil
                || self.waitingDays != nil || !self.search.isEmpty
        }
    }

    struct Waiting: Decodable {
        let targetID: Int
        let lineID: Int
        let version: Int
        let lastSubmittedAt: Date
        let capaian: Double?
        let timeliness: String?
        let links: String?
        let target: Double
        let code: String
        let description: String
        let aksiNumber: Int
        let instansi: String
        let instansiKind: String
        let instansiID: Int
        let parentID: Int?
        let triwulan: Int
        let startYear: Int
        let files: Int

        enum CodingKeys: String, CodingKey {
            case targetID = "target_id", lineID = "line_id", version, lastSubmittedAt = "last_submitted_at", capaian
            case timeliness, links, target, code, description, aksiNumber = "aksi_number", instansi
            case instansiKind = "instansi_kind", instansiID = "instansi_id", parentID = "parent_id", triwulan
            case startYear = "start_year", files
        }
    }

    /// Every line waiting for this verifikator, oldest first, with its current version's file count.
    static func waiting(for userID: Int, on database: any Database) async throws -> [Waiting] {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT l.target_id, l.id AS line_id, l.version, l.last_submitted_at, l.capaian, l.timeliness,
                   v.links, t.value AS target, i.code, i.description, a.number AS aksi_number,
                   s.name AS instansi, s.kind AS instansi_kind, s.id AS instansi_id, s.parent_id,
                   w.number AS triwulan, c.start_year,
                   (SELECT COUNT(*) FROM report_evidence e WHERE e.version_id = v.id) AS files
            FROM report_lines l
            JOIN report_versions v ON v.line_id = l.id AND v.number = l.version
            JOIN targets t ON t.id = l.target_id
            JOIN indicators i ON i.id = t.indicator_id
            JOIN outputs o ON o.id = i.output_id
            JOIN aksi a ON a.id = o.aksi_id
            JOIN instansi s ON s.id = t.instansi_id
            JOIN triwulan w ON w.id = t.triwulan_id
            JOIN cycles c ON c.id = w.cycle_id
            JOIN verifikator_assignments va ON va.aksi_id = o.aksi_id AND va.user_id = \(bind: userID)
            WHERE l.state = \(bind: ReportState.submitted.rawValue)
            ORDER BY l.last_submitted_at, l.id
            """
        ).all(decoding: Waiting.self)
    }

    @Sendable func show(request: Request) async throws -> Response {
        let accepted = (try? request.query.get(Int.self, at: "diterima")).flatMap { $0 > 0 ? $0 : nil }
        // The last line of the filtered queue was decided with "and open the next line".
        let finished = (try? request.query.get(String.self, at: "selesai")).flatMap(ReportAction.init(rawValue:))
            .flatMap { [.accept, .return].contains($0) ? request.t("queue.finished.\($0.rawValue)") : nil }
        let decided = (try? request.query.get(Int.self, at: "diputuskan")).flatMap { $0 > 0 ? $0 : nil }
        return try await Self.render(request, accepted: accepted, decided: decided, notice: finished)
    }

    /// The lines waiting for the signed-in verifikator, and those of them the request's filters keep.
    static func queue(for request: Request) async throws -> (all: [Waiting], kept: [Waiting], filters: Filters) {
        let user = try request.requireSignedIn()
        let all = try await Self.waiting(for: user.id, on: request.db)
        let filters = Filters(request)
        let today = request.application.clock.today
        return (all, all.filter { filters.keeps($0, today: today) }, filters)
    }

    /// The queue under the request's filters, with the count of lines just accepted at once, or what went wrong.
    static func render(
        _ request: Request, accepted: Int? = nil, decided: Int? = nil, notice: String? = nil, errors: [String] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let user = try request.requireSignedIn()
        let aksiCount = try await VerifikatorAssignment.query(on: request.db).filter(\.$user.$id == user.id).count()
        let (all, kept, filters) = try await Self.queue(for: request)
        let today = request.application.clock.today
        let format = request.displayFormat
        let rows = kept.prefix(Self.pageSize).map { line in
            Row(
                targetID: line.targetID, url: SiteURL.reportLine(line.targetID, query: filters.query),
                waitingSince: format.date(AppClock.fixed(line.lastSubmittedAt).today),
                waitingDays: request.t("queue.days", String(Self.days(line, today))), instansi: line.instansi,
                indicatorCode: line.code, indicatorName: line.description, aksiNumber: line.aksiNumber,
                triwulan: request.triwulanLabel(number: line.triwulan, startYear: line.startYear),
                target: format.number(line.target), capaian: line.capaian.map { format.number($0) } ?? "–",
                evidence: Self.evidenceText(line, request: request),
                timeliness: line.timeliness.map { request.t("report.timeliness.\($0)") })
        }
        let provinces = try await Instansi.query(on: request.db).filter(\.$kind == .provinsi).sort(\.$name).all()
        let aksiNumbers = Set(all.map(\.aksiNumber)).sorted()
        let summary =
            kept.count > rows.count
            ? request.t("queue.summary_more", String(rows.count), String(kept.count), String(all.count))
            : request.t("queue.summary", String(kept.count), String(all.count))
        let view = try await request.view.render(
            "verification-queue",
            QueuePage(
                page: PageContext(request: request, title: request.t("queue.title"), cycle: nil), rows: rows,
                hasRows: !rows.isEmpty, aksiCount: aksiCount, summary: summary, search: filters.search,
                aksiOptions: aksiNumbers.map {
                    SelectOption(
                        value: String($0), label: request.t("aksi.number", String($0)),
                        selected: $0 == filters.aksiNumber)
                },
                triwulanOptions: Dictionary(all.map { ($0.triwulan, $0.startYear) }, uniquingKeysWith: min)
                    .sorted { $0.key < $1.key }.map { number, startYear in
                        SelectOption(
                            value: String(number), label: request.triwulanLabel(number: number, startYear: startYear),
                            selected: number == filters.triwulan)
                    },
                kindOptions: InstansiKind.allCases.map {
                    SelectOption(
                        value: $0.rawValue, label: request.t("instansi.kind.\($0.rawValue)"),
                        selected: $0 == filters.kind)
                },
                provinceOptions: try provinces.map {
                    SelectOption(
                        value: String(try $0.requireID()), label: $0.name, selected: $0.id == filters.provinceID)
                },
                waitingOptions: Filters.waitingChoices.map {
                    SelectOption(
                        value: String($0), label: request.t("queue.waiting_at_least", String($0)),
                        selected: $0 == filters.waitingDays)
                },
                isFiltered: filters.isSet, csrfToken: request.csrfToken,
                checkURL: SiteURL.verificationCheck(query: filters.query), keptCount: kept.count, accepted: accepted,
                decided: decided, sheetURL: SiteURL.verificationFile(query: filters.query),
                uploadURL: SiteURL.verificationUpload(), notice: notice, errors: errors, hasErrors: !errors.isEmpty))
        let response = try await view.encodeResponse(for: request)
        response.status = status
        return response
    }

    /// "2 berkas, 1 tautan": the evidence of the line's current version.
    static func evidenceText(_ line: Waiting, request: Request) -> String {
        let links = (line.links ?? "").split(whereSeparator: \.isNewline).count
        return request.t("queue.evidence", String(line.files), String(links))
    }

    /// Whole Jakarta days since the line was submitted.
    static func days(_ line: Waiting, _ today: CalendarDate) -> Int {
        max(0, today.daysSinceEpoch - AppClock.fixed(line.lastSubmittedAt).today.daysSinceEpoch)
    }
}
