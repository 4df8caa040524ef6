import Vapor

/// The one table of contents of the app's URLs, grouped by audience.
func routes(_ app: Application) throws {
    // Operations: probes for the load balancer and the orchestrator.
    try app.register(collection: HealthController())
    // Evidence files: downloads, not pages.
    try app.register(collection: EvidenceController())  // /bukti/{sha256}: public evidence, or evidence one may read

    // The open data API for machines: JSON under /api/v1, described by /api/v1/openapi.yaml; errors as JSON. Its
    // answers to requests without a session come from the page cache, kept current by the audit chain's head.
    // /api/v1/cycles, .../plan, /instansi, targets, results, scores, revisions, discipline, snapshots, /inputs
    try app.grouped(AuditHeadMiddleware()).grouped(PageCacheMiddleware()).register(collection: OpenDataController())
    // /api/v1/laporan, /api/v1/bukti: an instansi's systems read and fill its lines with a key (Bearer)
    try app.register(collection: ReportingAPIController(uploadLimit: app.config.uploadLimitBytes))
    let apiReference = try APIReferenceController(resourcesDirectory: app.directory.resourcesDirectory)

    // Everything below renders pages, whose footer shows the audit chain's head.
    let pages = app.grouped(AuditHeadMiddleware())

    // Public pages: no account needed. Visitors without a session are served from the page cache, which the audit
    // chain's head keeps current.
    let publicPages = pages.grouped(PageCacheMiddleware())
    try publicPages.register(collection: PlanController())  // /
    // /aksi/{nomor} (and its score table as CSV, /aksi/{nomor}/skor.csv), /aksi/{nomor}/indikator/{kode}
    try publicPages.register(collection: AksiController())
    try publicPages.register(collection: InstansiDirectoryController())  // /instansi
    try publicPages.register(collection: InstansiController())  // /instansi/{id}
    try publicPages.register(collection: DashboardController())  // /dasbor, /dasbor/data.csv
    // /laporan-capaian: published triwulan reports (and publishing them, for Admin Setnas)
    try publicPages.register(collection: ResultReportController())
    try publicPages.register(collection: AuditLogController())  // /jejak (and /setnas/jejak for Admin Setnas)
    try publicPages.register(collection: GuideController())  // /panduan: how to fill in a report
    try pages.register(collection: apiReference)  // /api: the API's reference page; /api/v1/openapi.yaml
    try pages.register(collection: LanguageController())  // /bahasa/{kode}
    // /lapor, /lacak: anonymous reports of misconduct and following them with the receipt code (never cached, and
    // nothing about the visitor is stored or logged)
    try pages.register(collection: PublicReportController(uploadLimit: app.config.uploadLimitBytes))
    try pages.register(collection: PublicInputController())  // /masukan: usulan and pertanyaan, and their answers

    // Signing in: public pages that lead into an account (each checks the stage of the sign-in itself).
    try pages.register(collection: SignInController())  // /masuk, /masuk/kode, /keluar
    try pages.register(collection: ActivationController())  // /aktivasi/{token}, /lupa-sandi
    try pages.register(collection: TwoFactorController())  // /akun/dua-langkah

    // Signed in: every route below declares its permission with `requiring(_:)`.
    try pages.register(collection: HomeController())  // /beranda
    try pages.register(collection: PasswordChangeController())  // /akun/kata-sandi
    try pages.register(collection: APITokenController())  // /token-api: an Admin Instansi's keys for the reporting API
    // /notifikasi: one's notices (open, mark read) and, at /notifikasi/pengaturan, which of them come by e-mail
    try pages.register(collection: NoticeInboxController())
    try pages.register(collection: UserAdminController())  // /pengguna, /pengguna/undang, /pengguna/{id}/nonaktifkan
    try pages.register(collection: MailOutboxController())  // /setnas/kotak-surat
    try pages.register(collection: SecurityLogController())  // /setnas/log-keamanan
    try pages.register(collection: BackgroundWorkController())  // /setnas/pekerjaan: jobs, failures, try again
    try pages.register(collection: CycleAdminController())  // /setnas/periode: cycles, windows, plan CSV, publishing
    // /setnas/instansi: add, rename, merge, split, deactivate
    try pages.register(collection: InstansiAdminController())
    try pages.register(collection: PlanTreeController())  // /setnas/periode/{kode}/rencana: the tree and its pelaksana
    try pages.register(collection: TargetGridController())  // /setnas/periode/{kode}/target/{indikator}

    // Reporting: instansi report, Setnas verifies.
    try pages.register(collection: InstansiReportController())  // /laporan: an instansi's triwulan, submit to Setnas
    // /laporan/baris.csv, /laporan/unggah: the open lines as a spreadsheet, and the filled one previewed and applied
    try pages.register(collection: ReportLinesFileController())
    // /laporan/baris/{target}: one line, its versions and its discussion
    try pages.register(collection: ReportLineController(uploadLimit: app.config.uploadLimitBytes))
    try pages.register(collection: VerificationQueueController())  // /verifikasi: a verifikator's queue

    // Public participation: Setnas handles reports from the public, the instansi answers them.
    // /setnas/laporan-masyarakat (check, forward, refuse) and /laporan-masyarakat (the instansi's answer)
    try pages.register(collection: CaseDeskController())
    // /setnas/masukan (publish, refuse, duplicate) and /masukan-instansi (the instansi's public answers)
    try pages.register(collection: InputDeskController())
}
