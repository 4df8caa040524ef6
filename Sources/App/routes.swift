import Vapor

/// The one table of contents of the app's URLs, grouped by audience.
func routes(_ app: Application) throws {
    // Operations: probes for the load balancer and the orchestrator.
    try app.register(collection: HealthController())

    // Public pages: no account needed.
    try app.register(collection: PlanController())  // /
    try app.register(collection: AksiController())  // /aksi/{nomor}
    try app.register(collection: InstansiDirectoryController())  // /instansi
    try app.register(collection: InstansiController())  // /instansi/{id}
    try app.register(collection: DashboardController())  // /dasbor, /dasbor/data.csv
    // /laporan-capaian: published triwulan reports (and publishing them, for Admin Setnas)
    try app.register(collection: ResultReportController())
    try app.register(collection: LanguageController())  // /bahasa/{kode}
    try app.register(collection: AuditLogController())  // /jejak (and /setnas/jejak for Admin Setnas)
    try app.register(collection: GuideController())  // /panduan: how to fill in a report
    try app.register(collection: EvidenceController())  // /bukti/{sha256}: public evidence, or evidence one may read

    // Signing in: public pages that lead into an account (each checks the stage of the sign-in itself).
    try app.register(collection: SignInController())  // /masuk, /masuk/kode, /keluar
    try app.register(collection: ActivationController())  // /aktivasi/{token}, /lupa-sandi
    try app.register(collection: TwoFactorController())  // /akun/dua-langkah

    // Signed in: every route below declares its permission with `requiring(_:)`.
    try app.register(collection: HomeController())  // /beranda
    try app.register(collection: PasswordChangeController())  // /akun/kata-sandi
    try app.register(collection: UserAdminController())  // /pengguna, /pengguna/undang, /pengguna/{id}/nonaktifkan
    try app.register(collection: MailOutboxController())  // /setnas/kotak-surat
    try app.register(collection: SecurityLogController())  // /setnas/log-keamanan
    try app.register(collection: CycleAdminController())  // /setnas/periode: cycles, windows, plan CSV, publishing
    try app.register(collection: InstansiAdminController())  // /setnas/instansi: add, rename, merge, split, deactivate
    try app.register(collection: PlanTreeController())  // /setnas/periode/{kode}/rencana: the tree and its pelaksana
    try app.register(collection: TargetGridController())  // /setnas/periode/{kode}/target/{indikator}

    // Reporting: instansi report, Setnas verifies.
    try app.register(collection: InstansiReportController())  // /laporan: an instansi's triwulan, submit to Setnas
    // /laporan/baris/{target}: one line, its versions and its discussion
    try app.register(collection: ReportLineController(uploadLimit: app.config.uploadLimitBytes))
    try app.register(collection: VerificationQueueController())  // /verifikasi: a verifikator's queue
}
