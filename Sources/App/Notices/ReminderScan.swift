import Fluent
import SQLKit
import StranasCore
import Vapor

/// The `reminderScan` job: looks at every deadline the portal knows and tells the people concerned what is due, what
/// is late and what waits for them, each thing once (`Notifier`), and the day's digests of new work (`WorkDigest`). It also does the day's housekeeping: closes answered
/// laporan masyarakat whose reporter did not reply in time, and forgets finished jobs and old uploaded spreadsheets.
struct ReminderScan {
    let app: Application
    var database: any Database { self.app.db }
    var sql: any SQLDatabase { self.app.db as! any SQLDatabase }
    var today: CalendarDate { self.app.clock.today }
    var notifier: Notifier { Notifier(app: self.app) }

    /// How long finished jobs are kept for the record.
    static let doneJobsKeptDays = 14

    func run() async throws {
        // The anonymous reporters' steps of the days before join the audit chain now, dated by their day.
        try await AuditTrail(database: self.database, clock: self.app.clock).appendDayDated(before: self.today)
        try await self.judgeDisciplineToday()
        try await self.remindOfMissingLines()
        try await self.remindVerifikators()
        try await WorkDigest(app: self.app).run()
        try await self.noticeCaseDeadlines(caseID: nil)
        try await CaseDesk(app: self.app, database: self.database).closeUnansweredCases()
        try await JobQueue(database: self.database, clock: self.app.clock).forgetDone(olderThan: Self.doneJobsKeptDays)
        // A spreadsheet of report lines (the instansi's, or a verifikator's decisions) is kept for its preview; once
        // applied or abandoned, the lines' versions hold what it said.
        let forgetBefore = self.app.clock.now().addingTimeInterval(-Double(Self.doneJobsKeptDays) * 86_400)
        try await ReportImport.query(on: self.database).filter(\.$createdAt < forgetBefore).delete()
        try await VerificationImport.query(on: self.database).filter(\.$createdAt < forgetBefore).delete()
    }

    // MARK: - The day's discipline

    /// Discipline counts what is due by today, and a report action refreshes only the instansi it reaches: the
    /// day's first scan judges every instansi of each cycle on the new day (a whole-cycle refresh, seconds at
    /// national scale, once a day in the background instead of in the first request of the day).
    func judgeDisciplineToday() async throws {
        for cycle in try await Cycle.query(on: self.database).all() {
            let cycleID = try cycle.requireID()
            guard try await ScoreBook(database: self.database, today: self.today).needsJudging(cycleID: cycleID)
            else { continue }
            try await DeskCommit(database: self.database, clock: self.app.clock).record(
                [], by: .system, scores: .cycle(cycleID))
        }
    }

    // MARK: - Lines missing before and after the due day

    struct MissingLine: Decodable, Sendable {
        let targetID: Int
        let instansiID: Int
        let code: String
        let description: String
        let state: String?

        enum CodingKeys: String, CodingKey {
            case targetID = "target_id", instansiID = "instansi_id", code, description, state
        }
    }

    /// 7 days and 1 day before a triwulan's due day and the day after it, every Unit Teknis, Admin Instansi and Focal
    /// Point of an instansi with lines not yet sent to Setnas is told which.
    func remindOfMissingLines() async throws {
        let triwulan = try await Triwulan.query(on: self.database).with(\.$cycle).all().filter { triwulan in
            guard triwulan.cycle.isPublished, let due = CalendarDate(iso: triwulan.dueOn),
                let locks = CalendarDate(iso: triwulan.locksOn)
            else { return false }
            return ReminderSchedule.reportStage(on: self.today, dueOn: due) != nil && self.today <= locks
        }
        for period in triwulan {
            let due = CalendarDate(iso: period.dueOn)!
            guard let stage = ReminderSchedule.reportStage(on: self.today, dueOn: due) else { continue }
            let missing = try await self.sql.raw(
                """
                SELECT t.id AS target_id, t.instansi_id, i.code, i.description, l.state
                FROM targets t
                JOIN indicators i ON i.id = t.indicator_id
                JOIN instansi s ON s.id = t.instansi_id
                LEFT JOIN report_lines l ON l.target_id = t.id
                WHERE t.triwulan_id = \(bind: try period.requireID()) AND s.is_active = \(bind: true)
                  AND (l.id IS NULL OR l.state IN ('draft', 'review', 'returned'))
                ORDER BY t.instansi_id
                """
            ).all(decoding: MissingLine.self)
            // Codes in their natural order: 2.1.1 before 10.1.1.
            let byInstansi = Dictionary(grouping: missing, by: \.instansiID).mapValues { lines in
                lines.sorted { $0.code.compare($1.code, options: .numeric) == .orderedAscending }
            }
            guard !byInstansi.isEmpty else { continue }
            let people = try await self.people(
                of: Array(byInstansi.keys), holding: [.unitTeknis, .adminInstansi, .focalPoint])
            let subjectOf = { (instansiID: Int) in "laporan:instansi:\(instansiID):triwulan:\(period.id!)" }
            let keys = people.map {
                ReminderKey(
                    stage: stage.rawValue, subject: subjectOf($0.$instansi.id!), recipientID: $0.id!, deadline: due
                )
                .description
            }
            let unwritten = try await self.notifier.unwritten(keys)
            let link = SiteURL.instansiReport(
                query: [(CycleLookup.queryParameter, period.cycle.code), ("triwulan", String(period.number))])
            let locales = self.app.locales
            let cycleStart = period.cycle.startYear
            for (person, key) in zip(people, keys) where unwritten.contains(key) {
                let lines = byInstansi[person.$instansi.id!] ?? []
                try await self.notifier.tell(person, topic: .reportReminder, about: [key], key: { $0 }) { _, language in
                    let format = locales.displayFormat(language)
                    let label = locales.triwulanLabel(number: period.number, startYear: cycleStart, language)
                    let list = lines.map { line -> String in
                        let state = locales.text("report.state.\(line.state ?? "none")", language)
                        return "- \(line.code) \(line.description) (\(state))"
                    }.joined(separator: "\n")
                    let arguments = [String(lines.count), label, format.date(due)]
                    let intro = locales.text("notice.report.\(stage.rawValue).text", language, arguments)
                    return .init(
                        title: locales.text("notice.report.\(stage.rawValue).title", language, arguments),
                        text: "\(intro)\n\n\(list)", link: link)
                }
            }
        }
    }

    // MARK: - Lines waiting for their verifikator

    struct WaitingLine: Decodable, Sendable {
        let lineID: Int
        let aksiID: Int
        let code: String
        let instansi: String
        let lastSubmittedAt: Date

        enum CodingKeys: String, CodingKey {
            case lineID = "line_id", aksiID = "aksi_id", code, instansi, lastSubmittedAt = "last_submitted_at"
        }
    }

    /// Each verifikator is told, once per submission, of the lines of their aksi that have waited longer than the
    /// configured days.
    func remindVerifikators() async throws {
        let days = self.app.config.verificationReminderDays
        // A day's margin in the query; the exact rule is `ReminderSchedule.verificationIsWaiting`, on Jakarta days.
        let before = self.app.clock.now().addingTimeInterval(-Double(days) * 86_400)
        let waiting = try await self.sql.raw(
            """
            SELECT l.id AS line_id, o.aksi_id, i.code, s.name AS instansi, l.last_submitted_at
            FROM report_lines l
            JOIN targets t ON t.id = l.target_id
            JOIN indicators i ON i.id = t.indicator_id
            JOIN outputs o ON o.id = i.output_id
            JOIN instansi s ON s.id = t.instansi_id
            WHERE l.state = 'submitted' AND l.last_submitted_at < \(bind: before)
            ORDER BY l.last_submitted_at, l.id
            """
        ).all(decoding: WaitingLine.self).filter {
            ReminderSchedule.verificationIsWaiting(
                submittedOn: AppClock.fixed($0.lastSubmittedAt).today, today: self.today, longerThan: days)
        }
        guard !waiting.isEmpty else { return }
        let assignments = try await VerifikatorAssignment.query(on: self.database)
            .filter(\.$aksi.$id ~~ Set(waiting.map(\.aksiID))).with(\.$user).all()
        let byUser = Dictionary(grouping: assignments, by: { $0.$user.id })
        let locales = self.app.locales
        for (_, rows) in byUser.sorted(by: { $0.key < $1.key }) {
            let user = rows[0].user
            let aksi = Set(rows.map { $0.$aksi.id })
            let lines = waiting.filter { aksi.contains($0.aksiID) }
            let userID = try user.requireID()
            try await self.notifier.tell(
                user, topic: .verificationReminder, about: lines,
                key: { line in
                    ReminderKey(
                        stage: "verifikasi", subject: "baris:\(line.lineID)", recipientID: userID,
                        deadline: AppClock.fixed(line.lastSubmittedAt).today.adding(days: days)
                    ).description
                }
            ) { fresh, language in
                let format = locales.displayFormat(language)
                let list = fresh.map { line -> String in
                    let since = format.date(AppClock.fixed(line.lastSubmittedAt).today)
                    return
                        "- \(line.code) · \(line.instansi) · \(locales.text("notice.verification.since", language, [since]))"
                }.joined(separator: "\n")
                let intro = locales.text("notice.verification.text", language, [String(days)])
                return .init(
                    title: locales.text("notice.verification.title", language, [String(fresh.count)]),
                    text: "\(intro)\n\n\(list)", link: SiteURL.verificationQueue())
            }
        }
    }

    // MARK: - Laporan masyarakat and their deadlines

    /// For forwarded cases not yet answered: the instansi's Focal Points are told when a case arrives and when two
    /// working days are left; once the deadline has passed, they and every Admin Setnas are told (an escalation,
    /// whose e-mail cannot be turned off). Only the case's number, instansi and deadline are told, never its content.
    func noticeCaseDeadlines(caseID: Int?) async throws {
        var query = PublicCase.query(on: self.database).filter(\.$state == .diteruskan).with(\.$instansi)
        if let caseID { query = query.filter(\.$id == caseID) }
        let cases = try await query.sort(\.$id).all()
        guard !cases.isEmpty else { return }
        let focalPoints = try await self.people(of: Array(Set(cases.map { $0.$instansi.id })), holding: [.focalPoint])
        let setnas = try await self.people(of: nil, holding: [.adminSetnas])
        let locales = self.app.locales
        for report in cases {
            guard let forwarded = report.forwardedOn.flatMap(CalendarDate.init(iso:)),
                let due = report.dueOn.flatMap(CalendarDate.init(iso:)),
                let stage = ReminderSchedule.caseStage(
                    on: self.today, forwardedOn: forwarded, dueOn: due, calendar: self.app.workingCalendar)
            else { continue }
            let caseID = try report.requireID()
            var recipients = focalPoints.filter { $0.$instansi.id == report.$instansi.id }.map { ($0, false) }
            if stage == .overdue { recipients += setnas.map { ($0, true) } }
            let instansiName = report.instansi.name
            for (person, isSetnas) in recipients {
                let key = ReminderKey(
                    stage: stage.rawValue, subject: "kasus:\(caseID)", recipientID: try person.requireID(),
                    deadline: due
                ).description
                let link =
                    isSetnas
                    ? SiteURL.setnasCase(caseID) : SiteURL.instansiCase(caseID)
                try await self.notifier.tell(
                    person, topic: stage == .overdue ? .escalation : .caseDeadline, about: [key], key: { $0 }
                ) { _, language in
                    let arguments = [String(caseID), instansiName, locales.displayFormat(language).date(due)]
                    return .init(
                        title: locales.text("notice.case.\(stage.rawValue).title", language, arguments),
                        text: locales.text("notice.case.\(stage.rawValue).text", language, arguments), link: link)
                }
            }
        }
    }

    // MARK: - Internals

    /// Active users of the given instansi (any, when nil) holding one of `roles`, with their roles loaded.
    func people(of instansiIDs: [Int]?, holding roles: Set<Role>) async throws -> [User] {
        // Only the holders of the roles are read: "every Admin Setnas" must not load every account of the country.
        var query = User.query(on: self.database).join(UserRole.self, on: \User.$id == \UserRole.$user.$id)
            .filter(UserRole.self, \.$role ~~ Array(roles)).filter(\.$status == .active).with(\.$roleRows)
            .sort(\.$id)
        if let instansiIDs { query = query.filter(\.$instansi.$id ~~ instansiIDs) }
        // Someone holding two of the roles is one person.
        var seen = Set<Int>()
        return try await query.all().filter { seen.insert($0.id ?? 0).inserted }
    }
}
