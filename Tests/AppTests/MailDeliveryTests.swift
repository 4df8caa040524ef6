import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Mail delivery over SMTP", .serialized)
struct MailDeliveryTests {
    @Test("the reminder of a missing line reaches a real SMTP server: recipient, subject and body in Bahasa Indonesia")
    func reminderArrives() async throws {
        let sink = try SMTPSink()
        try await withJagaApp(adjusting: { $0.mailServer = sink.server() }) { app in
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let unitTeknis = try await makeAccount([.unitTeknis], instansi: aceh, on: app)
            let missing = try await NoticeTests().acehFirstQuarter(app)
            app.clock = jakartaMorning("2021-04-08")
            try await JobRunner(app: app).runDue()

            let received = try sink.messages()
            #expect(received.count == 1)
            let message = try #require(received.first)
            #expect(message.recipients == [unitTeknis.email])
            #expect(message.mailFrom == "noreply@jaga.test")
            #expect(message.from == "Jaga Stranas PK <noreply@jaga.test>")
            #expect(message.subject == "Pengingat: \(missing.count) baris TW I 2021 belum dikirim, batas 15 April 2021")
            let text = try #require(message.text)
            #expect(text.contains("Yth. \(unitTeknis.user.name),"))
            #expect(text.contains("Laporan TW I 2021 harus dikirim ke Setnas paling lambat 15 April 2021."))
            for line in missing { #expect(text.contains("- \(line.code) ")) }
            #expect(text.contains(app.config.publicURL + "/laporan?periode=2021-2022&triwulan=1"))
            #expect(text.contains("/notifikasi/pengaturan"))
            #expect(message.html?.contains("<li>\(missing[0].code) ") == true)
            let stored = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(stored.sentAt != nil)
            #expect(stored.lastError == nil)
        }
    }

    @Test("news for a reporter goes to the address they left, sealed until sent and erased after, without content")
    func reporterIsTold() async throws {
        let sink = try SMTPSink()
        try await withJagaApp(adjusting: { $0.mailServer = sink.server() }) { app in
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let setnas = try await makeAccount([.adminSetnas], on: app)
            let focalPoint = try await makeAccount([.focalPoint], instansi: aceh, on: app)
            let desk = CaseDesk(app: app, database: app.db)
            guard
                case .success(let code) = try await desk.submit(
                    body: "Pungutan di loket perizinan tanpa kuitansi.", contact: "Warga <warga@contoh.id>",
                    about: .init(instansiID: try aceh.requireID(), aksiID: nil, targetID: nil))
            else { throw CaseTestError.step("submit") }
            let report = try #require(try await desk.find(code))
            let staff = CaseDesk.Actor(kind: .setnas, user: setnas.user)
            _ = try await desk.take(.verify, on: report, by: staff, note: nil, expectedVersion: report.version)
            _ = try await desk.take(.forward, on: report, by: staff, note: nil, expectedVersion: report.version)
            let answer = "Petugas loket telah diperiksa Inspektorat."
            _ = try await desk.take(
                .answer, on: report, by: .init(kind: .instansi, user: focalPoint.user), note: answer,
                expectedVersion: report.version)

            // Before the runner: the address is sealed in the outbox, nowhere in the clear.
            try await JobRunner(app: app).runDue()
            let toReporter = try sink.messages().filter { $0.recipients == ["warga@contoh.id"] }
            #expect(toReporter.count == 1)
            let message = try #require(toReporter.first)
            #expect(message.subject == "Kabar baru tentang laporan Anda di Jaga Stranas PK")
            #expect(message.text?.contains("Instansi yang Anda laporkan telah menanggapi laporan Anda.") == true)
            #expect(message.text?.contains(app.config.publicURL + "/lacak") == true)
            #expect(message.text?.contains(answer) == false)
            #expect(message.text?.contains("loket") == false)
            #expect(message.text?.contains(code.digits) == false)
            let row = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$recipient == OutboxMessage.sealedRecipientLabel)
                    .first())
            #expect(row.sentAt != nil)
            #expect(row.sealedRecipient == nil)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "warga@contoh.id").count() == 0)
        }
    }

    @Test(
        "a failing SMTP server: the message is kept, tried again with waits, the error shown, and sent once it recovers"
    )
    func failingServer() async throws {
        let sink = try SMTPSink()
        sink.failing = true
        try await withJagaApp(seeded: false, adjusting: { $0.mailServer = sink.server() }) { app in
            let start = testToday
            app.clock = .fixed(start)
            try await Mailbox.post(
                OutboxMessage(recipient: "kepala@aceh.test", subject: "Uji kiriman", body: "Isi surat.", now: start),
                on: app.db, app: app)
            let runner = JobRunner(app: app)
            var elapsed: TimeInterval = 0
            for delay in RetryPolicy.standard.delays {
                #expect(try await runner.runDue().failed == 1)
                elapsed += TimeInterval(delay)
                app.clock = .fixed(start.addingTimeInterval(elapsed))
            }
            #expect(try await runner.runDue().failed == 1)
            let job = try #require(
                try await Job.query(on: app.db).filter(\.$kind == JobKind.deliverMail.rawValue).first())
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("451") == true)
            let kept = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(kept.sentAt == nil)
            #expect(kept.lastError?.contains("451") == true)
            #expect(try sink.messages().isEmpty)

            let setnas = try await makeAccount([.adminSetnas], on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
            let page = try await browser.get(SiteURL.backgroundWork())
            #expect(page.html.contains("451"))
            #expect(page.html.contains("Kirim e-mail"))

            sink.failing = false
            _ = try await browser.post(
                "\(SiteURL.backgroundWork())/\(job.id!)/ulangi", [],
                csrf: try await browser.csrfToken(from: SiteURL.backgroundWork()))
            try await runner.runDue()
            #expect(try sink.messages().map(\.subject) == ["Uji kiriman"])
            #expect(try await OutboxMessage.find(kept.id, on: app.db)?.sentAt != nil)
        }
    }

    @Test("STARTTLS: the connection is encrypted before the message, with the configured certificate authority")
    func startTLS() async throws {
        let sink = try SMTPSink(starttls: true)
        try await withJagaApp(seeded: false, adjusting: { $0.mailServer = sink.server(security: .starttls) }) { app in
            try await Mailbox.post(
                OutboxMessage(recipient: "kepala@aceh.test", subject: "Lewat TLS", body: "Isi.", now: app.clock.now()),
                on: app.db, app: app)
            try await JobRunner(app: app).runDue()
            let received = try sink.messages()
            #expect(received.map(\.subject) == ["Lewat TLS"])
            #expect(received.first?.tls == true)
        }
    }
}
