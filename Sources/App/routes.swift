import Vapor

/// The app's routes, registered by audience. Each controller's `boot()` registers paths from `SiteURL`, the one
/// definition of every URL; `RouteTableTests` checks that what is registered here is exactly `SiteURL.all`, and
/// `AccessMatrixTests` that every route below the signed-in line declares its permission.
func routes(_ app: Application) throws {
    // Operations: probes for the load balancer (/healthz, /readyz).
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController())
    // Evidence files, downloads rather than pages: public evidence, or evidence the reader may see (/bukti/{sha256}).
    try app.register(collection: EvidenceController())

    // Machines. The open data API (/api/v1/…, described by /api/v1/openapi.yaml): JSON, errors as JSON, answers to
    // requests without a session from the page cache, kept current by the audit chain's head.
    try app.grouped(AuditHeadMiddleware()).grouped(PageCacheMiddleware()).register(collection: OpenDataController())
    // The reporting API (/api/v1/laporan, /api/v1/bukti): an instansi's systems read and fill its lines with a key.
    try app.register(collection: ReportingAPIController(uploadLimit: app.config.uploadLimitBytes))

    // Everything below renders pages, whose footer shows the audit chain's head.
    let pages = app.grouped(AuditHeadMiddleware())

    // The public, cached: visitors without a session are served from the page cache, which the audit chain's head
    // keeps current. Nothing here needs an account.
    let publicPages = pages.grouped(PageCacheMiddleware())
    try publicPages.register(collection: PlanController())
    try publicPages.register(collection: AksiController())
    try publicPages.register(collection: InstansiDirectoryController())
    try publicPages.register(collection: InstansiController())
    try publicPages.register(collection: DashboardController())
    try publicPages.register(collection: ResultReportController())
    try publicPages.register(collection: AuditLogController(audience: .publicPages))
    try publicPages.register(collection: GuideController())
    try publicPages.register(collection: HelpController())
    try publicPages.register(collection: SearchController())

    // The public, never cached: forms with a visitor's own token, and what they lead to.
    try pages.register(collection: try APIReferenceController(resourcesDirectory: app.directory.resourcesDirectory))
    try pages.register(collection: LanguageController())
    // Anonymous reports of misconduct and following them with the receipt code: nothing about the visitor is stored.
    try pages.register(collection: PublicReportController(uploadLimit: app.config.uploadLimitBytes))
    try pages.register(collection: PublicInputController())

    // Signing in: public pages that lead into an account, each checking the stage of the sign-in itself.
    try pages.register(collection: SignInController())
    try pages.register(collection: ActivationController())
    try pages.register(collection: TwoFactorController())

    // ———— Signed in: every route below declares its permission with `requiring(_:)`. ————

    // Everyone's own account and notices.
    try pages.register(collection: HomeController())
    try pages.register(collection: PasswordChangeController())
    try pages.register(collection: NoticeInboxController())

    // Instansi: reporting, the spreadsheet round trip, API keys, answers to the public.
    try pages.register(collection: InstansiReportController())
    try pages.register(collection: ReportSubmissionController())
    try pages.register(collection: ReportLinesFileController())
    try pages.register(collection: ReportLineController(uploadLimit: app.config.uploadLimitBytes))
    try pages.register(collection: APITokenController())

    // Setnas: verification, the plan and its cycles, instansi, accounts, publishing, the public's reports and input.
    try pages.register(collection: VerificationQueueController())
    try pages.register(collection: VerificationBulkController())
    try pages.register(collection: VerificationSheetController())
    try pages.register(collection: CycleAdminController())
    try pages.register(collection: PlanTreeController())
    try pages.register(collection: TargetGridController())
    try pages.register(collection: InstansiAdminController())
    try pages.register(collection: ResultPublishingController())
    try pages.register(collection: AuditLogController(audience: .setnas))
    try pages.register(collection: UserAdminController())
    try pages.register(collection: MailOutboxController())
    try pages.register(collection: SecurityLogController())
    try pages.register(collection: BackgroundWorkController())
    // The public's reports (/setnas/laporan-masyarakat, /laporan-masyarakat) and usulan and pertanyaan (/setnas/masukan,
    // /masukan-instansi): Setnas handles them, the instansi answers.
    try pages.register(collection: CaseDeskController())
    try pages.register(collection: InputDeskController())
}
