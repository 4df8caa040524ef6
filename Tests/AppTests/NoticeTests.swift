import Fluent
import Foundation
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

/// 09:00 in Jakarta on `iso`: a fixed "now" for the runner.
func jakartaMorning(_ iso: String) -> AppClock {
    let day = CalendarDate(iso: iso)!
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = AppClock.reportingTimeZone
    return .fixed(calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 9))!)
}

@Suite("Reminders, notices and mail", .serialized)
struct NoticeTests {
    func aceh(_ app: Application) async throws -> Instansi {
        try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
    }

    /// Aceh's TW I 2021 targets with their indicator codes, in code order.
    func acehFirstQuarter(_ app: Application) async throws -> [(id: Int, code: String)] {
        let aceh = try await self.aceh(app)
        return try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
            .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
            .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id).sort(Indicator.self, \.$code)
            .all().map { (try $0.requireID(), try $0.joined(Indicator.self).code) }
    }

    func notices(of account: TestAccount, _ topic: NoticeTopic? = nil, on app: Application) async throws -> [Notice] {
        var query = Notice.query(on: app.db).filter(\.$user.$id == account.id)
        if let topic { query = query.filter(\.$topic == topic) }
        return try await query.sort(\.$id).all()
    }

    func mail(to account: TestAccount, on app: Application) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: app.db).filter(\.$recipient == account.email).sort(\.$id).all()
    }

    @Test(
        "an instansi is reminded 7 days and 1 day before the due day and the day after, once each, of what is missing")
    func reportReminders() async throws {
        try await withJagaApp { app in
            let aceh = try await self.aceh(app)
            let unitTeknis = try await makeAccount([.unitTeknis], instansi: aceh, on: app)
            let admin = try await makeAccount([.adminInstansi], instansi: aceh, on: app)
            let focalPoint = try await makeAccount([.focalPoint], instansi: aceh, on: app)
            let gone = try await makeAccount([.unitTeknis], instansi: aceh, status: .deactivated, on: app)
            admin.user.language = "en"
            try await admin.user.save(on: app.db)
            let targets = try await self.acehFirstQuarter(app)
            #expect(targets.count >= 2)
            let runner = JobRunner(app: app)
            func counts() async throws -> [Int] {
                var result: [Int] = []
                for account in [unitTeknis, admin, focalPoint, gone] {
                    result.append(try await self.notices(of: account, .reportReminder, on: app).count)
                }
                return result
            }

            app.clock = jakartaMorning("2021-04-07")
            try await runner.runDue()
            #expect(try await counts() == [0, 0, 0, 0])

            app.clock = jakartaMorning("2021-04-08")
            try await runner.runDue()
            try await runner.runDue()
            #expect(try await counts() == [1, 1, 1, 0])
            let first = try #require(try await self.notices(of: unitTeknis, on: app).first)
            #expect(first.title == "Pengingat: \(targets.count) baris TW I 2021 belum dikirim, batas 15 April 2021")
            for target in targets { #expect(first.body.contains("- \(target.code) ")) }
            #expect(first.body.contains("(Belum diisi)"))
            #expect(first.link == "/laporan?periode=2021-2022&triwulan=1")
            let english = try #require(try await self.notices(of: admin, on: app).first)
            #expect(english.title.hasPrefix("Reminder: \(targets.count) lines of Q1 2021 not sent yet"))
            // Without a mail server every e-mail waits in the outbox; one per person told.
            #expect(try await self.mail(to: unitTeknis, on: app).map(\.subject) == [first.title])
            #expect(try await self.mail(to: gone, on: app).isEmpty)

            app.clock = jakartaMorning("2021-04-09")
            try await runner.runDue()
            #expect(try await counts() == [1, 1, 1, 0])

            app.clock = jakartaMorning("2021-04-14")
            try await runner.runDue()
            #expect(try await counts() == [2, 2, 2, 0])

            // One line reaches Setnas: the day after the due day, only the others are named.
            let line = ReportLine(targetID: targets[0].id, now: app.clock.now())
            line.state = .submitted
            line.version = 3
            try await line.save(on: app.db)
            app.clock = jakartaMorning("2021-04-16")
            try await runner.runDue()
            try await runner.runDue()
            #expect(try await counts() == [3, 3, 3, 0])
            let late = try #require(try await self.notices(of: focalPoint, on: app).last)
            #expect(late.title == "Terlambat: \(targets.count - 1) baris TW I 2021 belum dikirim (batas 15 April 2021)")
            #expect(!late.body.contains("- \(targets[0].code) "))
            #expect(late.body.contains("- \(targets[1].code) "))

            // Once the triwulan is locked, nothing more is said about it.
            app.clock = jakartaMorning("2021-05-03")
            try await runner.runDue()
            #expect(try await counts() == [3, 3, 3, 0])
            #expect(try await self.mail(to: focalPoint, on: app).count == 3)
        }
    }

    @Test("a returned line reaches the Unit Teknis's inbox; the header counts it and opening it leads to the line")
    func returnedLine() async throws {
        try await withJagaApp { app in
            let reporting = ReportingFixture.self
            var cast = try await reporting.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            _ = try await reporting.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog lokal tayang.")
            _ = try await reporting.submitAll(&cast.focalPoint)
            let reason = "Berita acara belum ditandatangani kepala dinas."
            let returned = try await cast.verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "return"), ("catatan", reason)],
                csrf: try await cast.verifikator.csrfToken(from: path))
            #expect(returned.location == path + "?pesan=return")

            let before = try await cast.unitTeknis.get("/beranda")
            #expect(!before.html.contains("count-badge"))
            try await JobRunner(app: app).runDue()
            try await JobRunner(app: app).runDue()

            let home = try await cast.unitTeknis.get("/beranda")
            #expect(home.html.contains(#"data-unread="1""#))
            let inbox = try await cast.unitTeknis.get("/notifikasi")
            #expect(inbox.html.contains("Baris 5.1.1 TW I 2021 dikembalikan verifikator"))
            #expect(inbox.html.contains(reason))
            let noticeID = try #require(firstCapture(#"action="/notifikasi/(\d+)/buka""#, in: inbox.html))
            // The Focal Point is not told: the instansi has a Unit Teknis.
            #expect(try await Notice.query(on: app.db).count() == 1)

            // Someone else cannot open it.
            let foreign = try await cast.focalPoint.post(
                "/notifikasi/\(noticeID)/buka", [], csrf: try await cast.focalPoint.csrfToken(from: "/notifikasi"))
            #expect(foreign.status == .notFound)

            let opened = try await cast.unitTeknis.post(
                "/notifikasi/\(noticeID)/buka", [], csrf: try await cast.unitTeknis.csrfToken(from: "/notifikasi"))
            #expect(opened.location == path)
            let after = try await cast.unitTeknis.get(path)
            #expect(!after.html.contains("count-badge"))
            #expect(after.html.contains(reason))

            // The language they choose is the language of their notices and e-mails from then on.
            _ = try await cast.unitTeknis.get("/bahasa/en?kembali=/beranda")
            let user = try #require(try await User.query(on: app.db).filter(\.$name ~~ "unit_teknis").first())
            #expect(user.language == "en")
        }
    }

    @Test("a verifikator is reminded once of lines waiting longer than the configured days")
    func verifikatorReminder() async throws {
        try await withJagaApp(adjusting: { $0.verificationReminderDays = 5 }) { app in
            let reporting = ReportingFixture.self
            var cast = try await reporting.cast(app)
            _ = try await reporting.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog lokal tayang.")
            _ = try await reporting.submitAll(&cast.focalPoint)
            let verifikator = try #require(
                try await User.query(on: app.db).join(UserRole.self, on: \User.$id == \UserRole.$user.$id)
                    .filter(UserRole.self, \.$role == .verifikatorSetnas).first())
            func told() async throws -> [Notice] {
                try await Notice.query(on: app.db).filter(\.$user.$id == verifikator.requireID())
                    .filter(\.$topic == .verificationReminder).all()
            }
            // Submitted on 5 April: five days of waiting are allowed, the sixth brings the reminder.
            app.clock = jakartaMorning("2021-04-10")
            try await JobRunner(app: app).runDue()
            #expect(try await told().isEmpty)
            app.clock = jakartaMorning("2021-04-11")
            try await JobRunner(app: app).runDue()
            app.clock = jakartaMorning("2021-04-12")
            try await JobRunner(app: app).runDue()
            let notices = try await told()
            #expect(notices.count == 1)
            #expect(notices.first?.title == "1 baris menunggu verifikasi Anda")
            #expect(notices.first?.body.contains("- 5.1.1 · Provinsi Aceh · diajukan 5 April 2021") == true)
            #expect(notices.first?.link == "/verifikasi")
        }
    }

    @Test("a member of the public who left an address hears of their usulan's fate, by sealed address, with the reason")
    func inputNews() async throws {
        try await withJagaApp { app in
            let aceh = try await self.aceh(app)
            let setnas = try await makeAccount([.adminSetnas], on: app)
            let desk = InputDesk(app: app, database: app.db)
            guard
                case .success(let id) = try await desk.submit(
                    .init(
                        kind: .usulan, instansiID: try aceh.requireID(), aksiID: nil, targetID: nil, author: "Warga",
                        email: "warga@contoh.id", body: "Mohon jadwal layanan perizinan diumumkan di laman."))
            else { throw CaseTestError.step("submit") }
            let input = try #require(try await PublicInput.find(id, on: app.db))
            let reason = "Sudah dijawab pada usulan lain yang lebih lengkap."
            _ = try await desk.moderate(input, .reject, note: reason, original: nil, by: setnas.user)
            try await JobRunner(app: app).runDue()
            try await JobRunner(app: app).runDue()
            let mails = try await OutboxMessage.query(on: app.db).all()
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.recipient == OutboxMessage.sealedRecipientLabel)
            #expect(mail.subject == "Kabar baru tentang usulan atau pertanyaan Anda di Jaga Stranas PK")
            #expect(mail.body.contains("Usulan atau pertanyaan Anda tidak ditayangkan."))
            #expect(mail.body.contains("Alasan Setnas: \(reason)"))
            let sealed = try #require(mail.sealedRecipient)
            #expect(try app.sealingKey.openText(sealed, purpose: OutboxMessage.sealingPurpose) == "warga@contoh.id")
        }
    }

    @Test("case deadlines reach the Focal Point; overdue escalates to Admin Setnas by e-mail that cannot be turned off")
    func caseDeadlinesAndEscalation() async throws {
        try await withJagaApp { app in
            let aceh = try await self.aceh(app)
            let focalPoint = try await makeAccount([.focalPoint], instansi: aceh, on: app)
            let setnas = try await makeAccount([.adminSetnas], on: app)

            // The Focal Point keeps only the report reminders by e-mail; escalations are not offered and stay on,
            // whatever the form says.
            var browser = TestBrowser(app)
            _ = try await browser.signIn(focalPoint.email, focalPoint.password, totpSecret: focalPoint.totpSecret)
            let settings = try await browser.get(SiteURL.noticeSettings())
            #expect(settings.html.contains(#"value="eskalasi" checked disabled"#))
            let saved = try await browser.post(
                SiteURL.noticeSettings(), [("email[]", "pengingat-laporan")],
                csrf: try await browser.csrfToken(from: SiteURL.noticeSettings()))
            #expect(saved.html.contains("Pengaturan e-mail disimpan."))
            #expect(saved.html.contains(#"value="pengingat-laporan" checked"#))
            #expect(!saved.html.contains(#"value="tenggat-laporan-masyarakat" checked"#))
            let off = try await MailOptOut.query(on: app.db).filter(\.$user.$id == focalPoint.id).all().map(\.topic)
            #expect(Set(off) == [.lineReturned, .caseDeadline, .reviewWaiting])

            let desk = CaseDesk(app: app, database: app.db)
            let body = "Pungutan di loket perizinan tanpa kuitansi, berulang setiap Senin."
            guard
                case .success(let code) = try await desk.submit(
                    body: body, contact: "", about: .init(instansiID: try aceh.requireID(), aksiID: nil, targetID: nil))
            else { throw CaseTestError.step("submit") }
            let report = try #require(try await desk.find(code))
            let staff = CaseDesk.Actor(kind: .setnas, user: setnas.user)
            _ = try await desk.take(.verify, on: report, by: staff, note: nil, expectedVersion: report.version)
            _ = try await desk.take(.forward, on: report, by: staff, note: nil, expectedVersion: report.version)
            let forwardedCase = try #require(try await PublicCase.find(report.id, on: app.db))
            let due = try #require(forwardedCase.dueOn.flatMap(CalendarDate.init(iso:)))

            let runner = JobRunner(app: app)
            try await runner.runDue()
            let forwarded = try await self.notices(of: focalPoint, on: app)
            #expect(forwarded.map(\.topic) == [.caseDeadline])
            #expect(forwarded.first?.title == "Laporan masyarakat #\(report.id!) diteruskan ke Provinsi Aceh")
            #expect(forwarded.first?.link == "/laporan-masyarakat/\(report.id!)")
            #expect(try await self.mail(to: focalPoint, on: app).isEmpty)

            app.clock = jakartaMorning(due.iso)
            try await runner.runDue()
            #expect(try await self.notices(of: focalPoint, on: app).map(\.topic) == [.caseDeadline, .caseDeadline])
            #expect(try await self.notices(of: setnas, on: app).isEmpty)

            app.clock = jakartaMorning(due.adding(days: 1).iso)
            try await runner.runDue()
            try await runner.runDue()
            let escalated = try await self.notices(of: setnas, on: app)
            #expect(escalated.map(\.topic) == [.escalation])
            #expect(escalated.first?.link == "/setnas/laporan-masyarakat/\(report.id!)")
            #expect(try await self.notices(of: focalPoint, on: app).last?.topic == .escalation)
            // Escalations are mailed to both, the Focal Point's opt-out notwithstanding; no content of the case.
            let mails = try await self.mail(to: focalPoint, on: app) + self.mail(to: setnas, on: app)
            #expect(mails.count == 2)
            #expect(mails.allSatisfy { $0.subject.hasPrefix("Eskalasi: laporan masyarakat #\(report.id!)") })
            #expect(mails.allSatisfy { !$0.body.contains("loket") && !($0.htmlBody ?? "").contains("loket") })

            // Answered, and left alone by the reporter for 14 days, the case is closed by the scan.
            let instansiActor = CaseDesk.Actor(kind: .instansi, user: focalPoint.user)
            let answered = try await desk.take(
                .answer, on: report, by: instansiActor, note: "Petugas loket telah diperiksa Inspektorat.",
                expectedVersion: report.version)
            #expect(answered == .success(.ditanggapi))
            app.clock = jakartaMorning(due.adding(days: 15).iso)
            try await runner.runDue()
            #expect(try await PublicCase.find(report.id, on: app.db)?.state == .ditanggapi)
            app.clock = jakartaMorning(due.adding(days: 16).iso)
            try await runner.runDue()
            #expect(try await PublicCase.find(report.id, on: app.db)?.state == .selesai)
        }
    }

    @Test("a failing job is tried again after longer waits, then fails visibly, and Admin Setnas can try it again")
    func retriesAndFailure() async throws {
        try await withJagaApp(seeded: false) { app in
            let broken = JobKind(rawValue: "uji.rusak")
            let fixed = ManagedAtomicFlag()
            app.jobHandlers[broken] = { _, _ in
                if !fixed.value { throw CaseTestError.step("gudang arsip tidak terjangkau") }
            }
            let start = testToday
            app.clock = .fixed(start)
            let queue = JobQueue(database: app.db, clock: app.clock)
            try await queue.enqueue(broken, JobPayload(note: "x"))
            let runner = JobRunner(app: app)
            var elapsed: TimeInterval = 0
            for (attempt, delay) in RetryPolicy.standard.delays.enumerated() {
                let pass = try await runner.runDue()
                #expect(pass.failed == 1)
                let job = try #require(try await Job.query(on: app.db).filter(\.$kind == broken.rawValue).first())
                #expect(job.state == .pending)
                #expect(job.attempts == attempt + 1)
                #expect(job.runAt == start.addingTimeInterval(elapsed + TimeInterval(delay)))
                // Not due before its time.
                #expect(try await runner.runDue().failed == 0)
                elapsed += TimeInterval(delay)
                app.clock = .fixed(start.addingTimeInterval(elapsed))
            }
            #expect(try await runner.runDue().failed == 1)
            let failed = try #require(try await Job.query(on: app.db).filter(\.$kind == broken.rawValue).first())
            #expect(failed.state == .failed)
            #expect(failed.attempts == RetryPolicy.standard.maximumAttempts)
            #expect(failed.lastError?.contains("gudang arsip tidak terjangkau") == true)
            #expect(try await runner.runDue().failed == 0)

            let setnas = try await makeAccount([.adminSetnas], on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
            let page = try await browser.get(SiteURL.backgroundWork())
            #expect(page.html.contains("gudang arsip tidak terjangkau"))
            #expect(page.html.contains(#"<dd data-state="failed">1</dd>"#))
            fixed.value = true
            let retried = try await browser.post(
                "\(SiteURL.backgroundWork())/\(failed.id!)/ulangi", [],
                csrf: try await browser.csrfToken(from: SiteURL.backgroundWork()))
            #expect(retried.html.contains("dijadwalkan ulang"))
            #expect(try await runner.runDue().done >= 1)
            #expect(try await Job.find(failed.id, on: app.db)?.state == .done)
        }
    }

    @Test("runners working at once on one database run each job exactly once")
    func concurrentRunners() async throws {
        try await withJagaApp(seeded: false) { app in
            let record = RunRecord()
            let kind = JobKind(rawValue: "uji.catat")
            app.jobHandlers[kind] = { job, _ in
                await record.add(Int(job.payload.note ?? "") ?? -1)
                await Task.yield()
            }
            let queue = JobQueue(database: app.db, clock: app.clock)
            for number in 0..<200 { try await queue.enqueue(kind, JobPayload(note: String(number))) }
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<4 {
                    group.addTask { try await JobRunner(app: app, worker: "runner-\(index)").runDue().done }
                }
                return try await group.reduce(0, +)
            }
            let seen = await record.numbers
            #expect(seen.count == 200)
            #expect(seen.sorted() == Array(0..<200))
            #expect(total == 201)  // and the reminder scan of the slot, once
            #expect(try await Job.query(on: app.db).filter(\.$state != .done).count() == 0)
        }
    }

    @Test("a runner told to stop (SIGTERM) finishes the job in hand, untouched by the stop, and takes no other")
    func stoppingRunner() async throws {
        try await withJagaApp(seeded: false) { app in
            let record = RunRecord()
            let kind = JobKind(rawValue: "uji.lambat")
            app.jobHandlers[kind] = { job, _ in
                await record.add(0)
                // A job that awaits something cancellable, as a mail delivery awaits its server.
                try await Task.sleep(for: .milliseconds(300))
                await record.add(1)
            }
            let queue = JobQueue(database: app.db, clock: app.clock)
            for number in 0..<3 { try await queue.enqueue(kind, JobPayload(note: String(number))) }
            let runner = JobRunner(app: app)
            let pass = Task { try await runner.runDue() }
            while await record.numbers.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            pass.cancel()
            let outcome = try await pass.value
            #expect(await record.numbers == [0, 1])
            #expect(outcome.failed == 0)
            let jobs = try await Job.query(on: app.db).filter(\.$kind == kind.rawValue).all()
            #expect(jobs.filter { $0.state == .done }.count == 1)
            #expect(jobs.filter { $0.state == .pending }.count == 2)
        }
    }

    @Test("two nodes whose clocks are 17 minutes apart never take the same job: a lease runs on the database's clock")
    func skewedClocks() async throws {
        try await withJagaApp(seeded: false) { app in
            func node(aheadBy seconds: TimeInterval) -> JobQueue {
                JobQueue(
                    database: app.db, clock: AppClock(now: { Date().addingTimeInterval(seconds) }, tellsRealTime: true))
            }
            let behind = node(aheadBy: 0)
            let ahead = node(aheadBy: 17 * 60)
            try await behind.enqueue(.deliverMail, JobPayload(messageID: 1))
            let claimed = try #require(try await behind.claim(worker: "belakang"))
            // On the app's clocks the lease taken by the node behind would look ended (10 minutes) to the node ahead.
            #expect(try await ahead.claim(worker: "depan") == nil)
            try await behind.finish(claimed, worker: "belakang")
            // A job enqueued by the node ahead is due at once for the node behind.
            try await ahead.enqueue(.deliverMail, JobPayload(messageID: 2))
            #expect(try await behind.claim(worker: "belakang")?.payload.messageID == 2)
        }
    }
}

/// What the concurrent runners ran.
actor RunRecord {
    var numbers: [Int] = []

    func add(_ number: Int) { self.numbers.append(number) }
}

final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false

    var value: Bool {
        get { self.lock.withLock { self.stored } }
        set { self.lock.withLock { self.stored = newValue } }
    }
}

enum CaseTestError: Error, CustomStringConvertible {
    case step(String)

    var description: String {
        switch self {
        case .step(let text): text
        }
    }
}
