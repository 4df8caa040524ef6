import Foundation
import Vapor

/// One route of the portal, defined once: the same value registers the route (`RoutesBuilder.get(_:use:)`) and
/// makes every link to it, in Swift (`SiteURL.aksi(5)`) and in templates (`#url("aksi", number)`), so that a link
/// cannot drift from its route. Every route the app answers is one of `SiteURL.all`; `routes.swift` says which
/// audience each is for, and a test compares the two.
struct SiteURL: Sendable, Hashable, CustomStringConvertible {
    /// The name templates use, unique among `all`.
    let name: String
    /// The path with its parameters named as the handlers read them: "/aksi/:nomor/skor.csv".
    let template: String

    init(_ name: String, _ template: String) {
        self.name = name
        self.template = template
    }

    var description: String { self.template }

    /// The path's segments; a parameter's begins with a colon.
    var segments: [Substring] { self.template.split(separator: "/") }

    /// The route's path for registration.
    var pathComponents: [PathComponent] { self.segments.map { PathComponent(stringLiteral: String($0)) } }

    /// How many values a link to this route needs.
    var parameterCount: Int { self.segments.filter { $0.hasPrefix(":") }.count }

    /// Characters a path segment may hold as they are; everything else is percent-encoded.
    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;"))
    private static let queryCharacters = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))

    /// The link to this route with `values` for its parameters, in order, then the query items that have a value and
    /// a fragment: `SiteURL.aksi(5, query: [("periode", "2021-2022")])` is "/aksi/5?periode=2021-2022".
    func callAsFunction(
        _ values: any CustomStringConvertible..., query: [(String, String?)] = [], fragment: String? = nil
    ) -> String {
        self.link(values.map(\.description), query: query, fragment: fragment)
    }

    /// `callAsFunction` with the values as text (templates, which pass them as they come).
    func link(_ values: [String], query: [(String, String?)] = [], fragment: String? = nil) -> String {
        precondition(values.count == self.parameterCount, "\(self.template) takes \(self.parameterCount) values")
        var remaining = values[...]
        let path = self.segments.map { segment -> String in
            guard segment.hasPrefix(":") else { return String(segment) }
            let value = remaining.popFirst()!
            return value.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? value
        }
        var text = "/" + path.joined(separator: "/")
        let items = query.compactMap { name, value in
            value.map { name + "=" + ($0.addingPercentEncoding(withAllowedCharacters: Self.queryCharacters) ?? $0) }
        }
        if !items.isEmpty { text += "?" + items.joined(separator: "&") }
        if let fragment { text += "#" + fragment }
        return text
    }

    /// Whether `path` (without its query) is a path of this route.
    func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = self.segments
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in segment.hasPrefix(":") || part == segment }
    }
}

extension SiteURL {
    // MARK: Operations and files
    static let healthz = SiteURL("healthz", "/healthz")
    static let readyz = SiteURL("readyz", "/readyz")
    static let metrics = SiteURL("metrics", "/metrics")
    static let evidence = SiteURL("bukti", "/bukti/:sha256")

    // MARK: Open data API
    static let apiBase = "/api/v1"
    /// Every API path starts so: its answers are JSON, and its writes carry a key instead of a form's token.
    static let apiPrefix = "/api/"
    static let apiCycles = SiteURL("api-cycles", "/api/v1/cycles")
    static let apiPlan = SiteURL("api-plan", "/api/v1/cycles/:cycle/plan")
    static let apiInstansi = SiteURL("api-instansi", "/api/v1/instansi")
    static let apiTargets = SiteURL("api-targets", "/api/v1/cycles/:cycle/targets")
    static let apiResults = SiteURL("api-results", "/api/v1/cycles/:cycle/results")
    static let apiScores = SiteURL("api-scores", "/api/v1/cycles/:cycle/scores")
    static let apiRevisions = SiteURL("api-revisions", "/api/v1/cycles/:cycle/revisions")
    static let apiDiscipline = SiteURL("api-discipline", "/api/v1/cycles/:cycle/discipline")
    static let apiSnapshots = SiteURL("api-snapshots", "/api/v1/cycles/:cycle/snapshots")
    static let apiInputs = SiteURL("api-inputs", "/api/v1/inputs")
    static let apiAuditHead = SiteURL("api-audit-head", "/api/v1/audit/head")
    static let apiDocument = SiteURL("api-document", "/api/v1/openapi.yaml")
    static let apiReference = SiteURL("api", "/api")
    // Reporting API (a key).
    static let apiLines = SiteURL("api-lines", "/api/v1/laporan")
    static let apiLine = SiteURL("api-line", "/api/v1/laporan/:target")
    static let apiEvidence = SiteURL("api-evidence", "/api/v1/bukti")

    // MARK: Public pages
    static let home = SiteURL("beranda-publik", "/")
    static let aksi = SiteURL("aksi", "/aksi/:nomor")
    static let aksiScores = SiteURL("aksi-skor", "/aksi/:nomor/skor.csv")
    static let indicator = SiteURL("indikator", "/aksi/:nomor/indikator/:kode")
    static let instansiDirectory = SiteURL("instansi-daftar", "/instansi")
    static let instansi = SiteURL("instansi", "/instansi/:id")
    static let scorecardCSV = SiteURL("instansi-rapor", "/instansi/:id/rapor.csv")
    static let dashboard = SiteURL("dasbor", "/dasbor")
    static let dashboardCSV = SiteURL("dasbor-data", "/dasbor/data.csv")
    static let resultReports = SiteURL("laporan-capaian", "/laporan-capaian")
    static let resultReport = SiteURL("laporan-capaian-satu", "/laporan-capaian/:kode/:triwulan")
    static let resultReportJSON = SiteURL("laporan-capaian-json", "/laporan-capaian/:kode/:triwulan/json")
    static let resultReportPrint = SiteURL("laporan-capaian-cetak", "/laporan-capaian/:kode/:triwulan/cetak")
    static let resultReportPDF = SiteURL("laporan-capaian-pdf", "/laporan-capaian/:kode/:triwulan/pdf")
    static let auditLog = SiteURL("jejak", "/jejak")
    static let guide = SiteURL("panduan", "/panduan")
    static let help = SiteURL("bantuan", "/bantuan")
    static let search = SiteURL("cari", "/cari")
    static let method = SiteURL("cara-menghitung", "/cara-menghitung")
    static let language = SiteURL("bahasa", "/bahasa/:kode")
    static let report = SiteURL("lapor", "/lapor")
    static let track = SiteURL("lacak", "/lacak")
    static let trackAction = SiteURL("lacak-tindakan", "/lacak/:tindakan")
    static let inputs = SiteURL("masukan", "/masukan")

    // MARK: Signing in
    static let signIn = SiteURL("masuk", "/masuk")
    static let secondFactor = SiteURL("masuk-kode", "/masuk/kode")
    static let signOut = SiteURL("keluar", "/keluar")
    static let activation = SiteURL("aktivasi", "/aktivasi/:token")
    static let forgottenPassword = SiteURL("lupa-sandi", "/lupa-sandi")
    static let twoFactor = SiteURL("dua-langkah", "/akun/dua-langkah")

    // MARK: Signed in: one's account
    static let start = SiteURL("beranda", "/beranda")
    static let passwordChange = SiteURL("kata-sandi", "/akun/kata-sandi")
    static let apiKeys = SiteURL("token-api", "/token-api")
    static let apiKeyRevoke = SiteURL("token-api-cabut", "/token-api/:id/cabut")
    static let notices = SiteURL("notifikasi", "/notifikasi")
    static let noticeOpen = SiteURL("notifikasi-buka", "/notifikasi/:id/buka")
    static let noticesReadAll = SiteURL("notifikasi-baca-semua", "/notifikasi/baca-semua")
    static let noticeSettings = SiteURL("notifikasi-pengaturan", "/notifikasi/pengaturan")

    // MARK: Signed in: reporting
    static let instansiReport = SiteURL("laporan", "/laporan")
    static let instansiReportCheck = SiteURL("laporan-periksa", "/laporan/periksa")
    static let instansiReportSubmit = SiteURL("laporan-ajukan", "/laporan/ajukan")
    static let reportLinesFile = SiteURL("laporan-berkas", "/laporan/baris.csv")
    static let reportLinesUpload = SiteURL("laporan-unggah", "/laporan/unggah")
    static let reportLinesImport = SiteURL("laporan-unggahan", "/laporan/unggah/:id")
    static let reportLine = SiteURL("baris", "/laporan/baris/:target")
    static let reportLineAction = SiteURL("baris-tindakan", "/laporan/baris/:target/tindakan")
    static let reportLineDiscussion = SiteURL("baris-diskusi", "/laporan/baris/:target/diskusi")
    static let verificationQueue = SiteURL("verifikasi", "/verifikasi")
    static let verificationCheck = SiteURL("verifikasi-periksa", "/verifikasi/periksa")
    static let verificationAccept = SiteURL("verifikasi-terima", "/verifikasi/terima")
    static let verificationFile = SiteURL("verifikasi-berkas", "/verifikasi/keputusan.csv")
    static let verificationUpload = SiteURL("verifikasi-unggah", "/verifikasi/unggah")
    static let verificationImport = SiteURL("verifikasi-unggah-satu", "/verifikasi/unggah/:id")
    static let instansiCases = SiteURL("laporan-masyarakat", "/laporan-masyarakat")
    static let instansiCase = SiteURL("laporan-masyarakat-satu", "/laporan-masyarakat/:id")
    static let instansiCaseAction = SiteURL("laporan-masyarakat-tindakan", "/laporan-masyarakat/:id/:tindakan")
    static let instansiCaseFile = SiteURL("laporan-masyarakat-berkas", "/laporan-masyarakat/:id/berkas/:file")
    static let instansiInputs = SiteURL("masukan-instansi", "/masukan-instansi")
    static let instansiInputAnswer = SiteURL("masukan-instansi-jawab", "/masukan-instansi/:id/jawab")

    // MARK: Signed in: Setnas administration
    static let users = SiteURL("pengguna", "/pengguna")
    static let userInvite = SiteURL("pengguna-undang", "/pengguna/undang")
    static let userDeactivate = SiteURL("pengguna-nonaktifkan", "/pengguna/:id/nonaktifkan")
    static let userRoles = SiteURL("pengguna-peran", "/pengguna/:id/peran")
    static let mailOutbox = SiteURL("kotak-surat", "/setnas/kotak-surat")
    static let securityLog = SiteURL("log-keamanan", "/setnas/log-keamanan")
    static let backgroundWork = SiteURL("pekerjaan", "/setnas/pekerjaan")
    static let backgroundWorkRetry = SiteURL("pekerjaan-ulangi", "/setnas/pekerjaan/:id/ulangi")
    static let fullAuditLog = SiteURL("jejak-lengkap", "/setnas/jejak")
    static let cycles = SiteURL("periode-daftar", "/setnas/periode")
    static let cycle = SiteURL("periode", "/setnas/periode/:kode")
    static let cycleWindows = SiteURL("periode-jadwal", "/setnas/periode/:kode/jadwal")
    static let planExport = SiteURL("periode-rencana-csv", "/setnas/periode/:kode/rencana.csv")
    static let planUpload = SiteURL("periode-impor", "/setnas/periode/:kode/impor")
    static let planImport = SiteURL("periode-impor-satu", "/setnas/periode/:kode/impor/:id")
    static let cyclePublish = SiteURL("periode-terbitkan", "/setnas/periode/:kode/terbitkan")
    static let cycleVerifikator = SiteURL("periode-verifikator", "/setnas/periode/:kode/verifikator")
    static let resultsPublish = SiteURL("capaian-terbitkan", "/setnas/periode/:kode/capaian/:triwulan/terbitkan")
    static let planTree = SiteURL("rencana", "/setnas/periode/:kode/rencana")
    static let planItemNew = SiteURL("rencana-baru", "/setnas/periode/:kode/rencana/:tingkat/baru")
    static let planItem = SiteURL("rencana-butir", "/setnas/periode/:kode/rencana/:tingkat/:item")
    static let planItemMove = SiteURL("rencana-geser", "/setnas/periode/:kode/rencana/:tingkat/:item/geser")
    static let planItemRemove = SiteURL("rencana-hapus", "/setnas/periode/:kode/rencana/:tingkat/:item/hapus")
    static let planItemPelaksana = SiteURL(
        "rencana-pelaksana", "/setnas/periode/:kode/rencana/:tingkat/:item/pelaksana")
    static let planItemPredecessor = SiteURL(
        "rencana-pendahulu", "/setnas/periode/:kode/rencana/:tingkat/:item/pendahulu")
    static let targetGrid = SiteURL("target", "/setnas/periode/:kode/target/:indikator")
    static let instansiAdmin = SiteURL("instansi-admin", "/setnas/instansi")
    static let instansiManage = SiteURL("instansi-kelola", "/setnas/instansi/:id")
    static let instansiChange = SiteURL("instansi-ubah", "/setnas/instansi/:id/:tindakan")
    static let setnasCases = SiteURL("setnas-laporan", "/setnas/laporan-masyarakat")
    static let setnasCase = SiteURL("setnas-laporan-satu", "/setnas/laporan-masyarakat/:id")
    static let setnasCaseAction = SiteURL("setnas-laporan-tindakan", "/setnas/laporan-masyarakat/:id/:tindakan")
    static let setnasCaseFile = SiteURL("setnas-laporan-berkas", "/setnas/laporan-masyarakat/:id/berkas/:file")
    static let setnasCaseReveal = SiteURL(
        "setnas-laporan-kontak", "/setnas/laporan-masyarakat/:id/persetujuan-kontak/:reveal")
    static let setnasInputs = SiteURL("setnas-masukan", "/setnas/masukan")
    static let setnasInputDecision = SiteURL("setnas-masukan-putuskan", "/setnas/masukan/:id/:keputusan")

    /// Every route, for templates (by name) and for the test that compares them with the routes registered.
    static let all: [SiteURL] = [
        healthz, readyz, metrics, evidence, apiCycles, apiPlan, apiInstansi, apiTargets, apiResults, apiScores,
        apiRevisions, apiDiscipline, apiSnapshots, apiInputs, apiAuditHead, apiDocument, apiReference, apiLines,
        apiLine, apiEvidence, home, aksi, aksiScores, indicator, instansiDirectory, instansi, scorecardCSV, dashboard,
        dashboardCSV, resultReports, resultReport, resultReportJSON, resultReportPrint, resultReportPDF, auditLog,
        guide, help, search, method, language, report, track,
        trackAction, inputs, signIn, secondFactor, signOut, activation, forgottenPassword, twoFactor, start,
        passwordChange, apiKeys, apiKeyRevoke, notices, noticeOpen, noticesReadAll, noticeSettings, instansiReport,
        instansiReportCheck, instansiReportSubmit, reportLinesFile, reportLinesUpload, reportLinesImport, reportLine,
        reportLineAction,
        reportLineDiscussion, verificationQueue, verificationCheck, verificationAccept, verificationFile,
        verificationUpload, verificationImport, instansiCases, instansiCase,
        instansiCaseAction, instansiCaseFile,
        instansiInputs, instansiInputAnswer, users, userInvite, userDeactivate, userRoles, mailOutbox, securityLog,
        backgroundWork, backgroundWorkRetry, fullAuditLog, cycles, cycle, cycleWindows, planExport, planUpload,
        planImport, cyclePublish, cycleVerifikator, resultsPublish, planTree, planItemNew, planItem, planItemMove,
        planItemRemove, planItemPelaksana, planItemPredecessor, targetGrid, instansiAdmin, instansiManage,
        instansiChange, setnasCases, setnasCase, setnasCaseAction, setnasCaseFile, setnasCaseReveal, setnasInputs,
        setnasInputDecision,
    ]

    static let byName: [String: SiteURL] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        self.on(.GET, url.pathComponents, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        self.on(.POST, url.pathComponents, use: closure)
    }

    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ url: SiteURL, body: HTTPBodyStreamStrategy,
        use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        self.on(method, url.pathComponents, body: body, use: closure)
    }
}
