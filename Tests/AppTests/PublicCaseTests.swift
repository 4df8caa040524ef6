import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

/// Collects every log message with its metadata, as text.
final class LogCapture: @unchecked Sendable {
    private let lock = NIOLock()
    private var lines: [String] = []

    func record(_ line: String) { self.lock.withLock { self.lines.append(line) } }
    var text: String { self.lock.withLock { self.lines.joined(separator: "\n") } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        self.capture.record("\(level) \(message) \(self.metadata.merging(metadata ?? [:]) { $1 })")
    }
}

@Suite("Laporan penyimpangan", .serialized)
struct PublicCaseTests {
    static let body = "Petugas loket perizinan meminta uang pelicin Rp500.000 agar izin usaha diproses cepat."
    static let contact = "pelapor.rahasia@contoh.example, 0812-0000-1111"
    static let attachment = Data("%PDF-1.7\n% Kuitansi pungutan liar loket 3\n%%EOF\n".utf8)

    /// An anonymous visitor reports on Aceh's line 5.1.1 of TW I 2021; returns the receipt code and the target.
    func report(
        _ app: Application, body: String = Self.body, contact: String = Self.contact, headers: HTTPHeaders = [:]
    ) async throws -> (code: String, target: Target, visitor: TestBrowser) {
        let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
        let target = try #require(
            try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
                .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
                .filter(Indicator.self, \.$code == "5.1.1").sort(\.$id).first())
        var visitor = TestBrowser(app)
        let form = try await visitor.get("/lapor?baris=\(try target.requireID())", headers: headers)
        #expect(form.status == .ok)
        #expect(form.html.contains("baris laporan indikator 5.1.1, Provinsi Aceh, TW I 2021"))
        #expect(form.headers.first(name: .cacheControl)?.contains("no-store") == true)
        let sent =
            headers.isEmpty
            ? try await visitor.postMultipart(
                "/lapor",
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))),
                    ("baris", String(try target.requireID())), ("isi", body), ("kontak", contact), ("situs", ""),
                ],
                files: [("bukti[]", "kuitansi pungli.pdf", Self.attachment)])
            : try await visitor.post(
                "/lapor",
                [("baris", String(try target.requireID())), ("isi", body), ("kontak", contact), ("situs", "")],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html)), headers: headers)
        #expect(sent.status == .created)
        let code = try #require(firstCapture(#"<code[^>]*>(\d{4} \d{4} \d{4} \d{4} \d{4})</code>"#, in: sent.html))
        return (code, target, visitor)
    }

    @Test("reported, verified, forwarded, answered, accepted: each side sees its part, the scorecard counts it")
    func wholeCase() async throws {
        try await withJagaApp { app in
            let (code, target, _) = try await self.report(app)
            let aceh = try #require(try await Instansi.find(target.$instansi.id, on: app.db))

            // Setnas reads the report and the contact, verifies and forwards it.
            var setnas = TestBrowser(app)
            let admin = try await makeAccount([.adminSetnas], on: app)
            _ = try await setnas.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            let queue = try await setnas.get("/setnas/laporan-masyarakat")
            #expect(queue.html.contains("No. 1") && queue.html.contains("Provinsi Aceh"))
            let casePage = try await setnas.get("/setnas/laporan-masyarakat/1")
            #expect(casePage.html.contains("uang pelicin Rp500.000"))
            #expect(casePage.html.contains("pelapor.rahasia@contoh.example"))
            // The attachment: listed, downloaded as it was sent, and sealed in the database.
            #expect(casePage.html.contains(">kuitansi pungli.pdf</a>"))
            let download = try await setnas.get("/setnas/laporan-masyarakat/1/berkas/1")
            #expect(download.status == .ok && Data(download.html.utf8) == Self.attachment)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            let stored = try #require(try await PublicCaseFile.query(on: app.db).first()?.sealedContent)
            #expect(stored.range(of: Data("Kuitansi".utf8)) == nil && stored.range(of: Data("%PDF".utf8)) == nil)
            let verified = try await setnas.post(
                "/setnas/laporan-masyarakat/1/verifikasi", [("versi", "1")],
                csrf: try await setnas.csrfToken(from: "/setnas/laporan-masyarakat/1"))
            #expect(verified.status == .seeOther)
            // A second click on the same page finds the case moved on.
            let stale = try await setnas.post(
                "/setnas/laporan-masyarakat/1/verifikasi", [("versi", "1")],
                csrf: try await setnas.csrfToken(from: "/setnas/laporan-masyarakat/1"))
            #expect(stale.status == .conflict)
            _ = try await setnas.post(
                "/setnas/laporan-masyarakat/1/teruskan", [("versi", "2")],
                csrf: try await setnas.csrfToken(from: "/setnas/laporan-masyarakat/1"))
            let forwarded = try #require(try await PublicCase.find(1, on: app.db))
            #expect(forwarded.state == .diteruskan)
            // Monday 30 November 2026 + 7 working days.
            #expect(forwarded.dueOn == "2026-12-09")

            // The instansi's Focal Point sees it without the contact, and answers.
            let focal = try await makeAccount([.focalPoint], instansi: aceh, on: app)
            var official = TestBrowser(app)
            _ = try await official.signIn(focal.email, focal.password, totpSecret: focal.totpSecret)
            let list = try await official.get("/laporan-masyarakat")
            #expect(list.html.contains("No. 1"))
            let seen = try await official.get("/laporan-masyarakat/1")
            #expect(seen.html.contains("uang pelicin") && !seen.html.contains("pelapor.rahasia"))
            #expect(Data(try await official.get("/laporan-masyarakat/1/berkas/1").html.utf8) == Self.attachment)
            let answer = "Petugas loket telah dibebastugaskan dan Inspektorat memeriksa kasus ini sejak 1 Desember."
            let answered = try await official.post(
                "/laporan-masyarakat/1/tanggapi", [("versi", "3"), ("isi", answer)],
                csrf: try await official.csrfToken(from: "/laporan-masyarakat/1"))
            #expect(answered.status == .seeOther)
            // Another instansi's Focal Point cannot open it.
            let other = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Bali").first())
            let stranger = try await makeAccount([.focalPoint], instansi: other, on: app)
            var outsider = TestBrowser(app)
            _ = try await outsider.signIn(stranger.email, stranger.password, totpSecret: stranger.totpSecret)
            #expect(try await outsider.get("/laporan-masyarakat/1").status == .notFound)
            #expect(try await outsider.get("/laporan-masyarakat/1/berkas/1").status == .notFound)
            #expect(!(try await outsider.get("/laporan-masyarakat")).html.contains("No. 1"))

            // The reporter, in a fresh browser, reads the answer with the code and accepts it.
            var reporter = TestBrowser(app)
            let trackForm = try await reporter.get("/lacak")
            let tracked = try await reporter.post(
                "/lacak", [("kode", code)],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: trackForm.html)))
            #expect(tracked.status == .ok)
            #expect(tracked.html.contains(answer) && tracked.html.contains("Ditanggapi"))
            let accepted = try await reporter.post(
                "/lacak/terima", [("kode", code), ("versi", "4")],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: tracked.html)))
            #expect(accepted.html.contains("Selesai"))

            // The scorecard counts the case, never its content.
            var citizen = TestBrowser(app)
            let card = try await citizen.get("/instansi/\(try aceh.requireID())")
            #expect(card.html.contains("Laporan masyarakat: 1 diteruskan, 1 ditanggapi, 0 terlambat ditanggapi."))
            #expect(!card.html.contains("pelicin"))
        }
    }

    @Test("nothing about the reporter's address or browser is stored or logged; body and contact are sealed")
    func nothingAboutTheReporter() async throws {
        try await withJagaApp { app in
            let capture = LogCapture()
            app.logger = Logger(label: "jaga.test.capture") { _ in CapturingLogHandler(capture: capture) }
            let agent = "PerambanUji/9.9 (rahasia-pelapor)"
            let address = "203.0.113.77"
            let headers: HTTPHeaders = ["User-Agent": agent, "X-Forwarded-For": address, "X-Real-IP": address]
            let (code, _, _) = try await self.report(app, headers: headers)
            var reporter = TestBrowser(app)
            let form = try await reporter.get("/lacak", headers: headers)
            let unknown = try await reporter.post(
                "/lacak", [("kode", "0000 0000 0000 0000 0000")],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html)), headers: headers)
            // A code that opens nothing is an error on the code's field, linked from the summary.
            #expect(unknown.html.contains(##"<li><a href="#kode">"##))
            #expect(unknown.html.contains(#"aria-invalid="true" aria-describedby="kode-galat">"#))
            _ = try await reporter.post(
                "/lacak/pesan", [("kode", code), ("isi", "Saya punya foto kuitansinya juga.")],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html)), headers: headers)

            let everything = try await Self.allStoredText(app)
            #expect(everything.count > 1000)
            for secret in [agent, address, "PerambanUji", Self.body, "pelapor.rahasia", "foto kuitansinya", code] {
                #expect(!everything.contains(secret), "\(secret) is in the database")
            }
            let logged = capture.text
            for secret in [agent, address, "PerambanUji", "pelicin", code] {
                #expect(!logged.contains(secret), "\(secret) is in the log")
            }
            // What the reporter did joins the chain once the day is over, dated by the day only: 00:00 in Jakarta.
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.publicCase.rawValue).count() == 0
            )
            try await AuditTrail(database: app.db, clock: app.clock).appendDayDated(
                before: app.clock.today.adding(days: 1))
            let entries = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.publicCase.rawValue)
                .all()
            #expect(entries.count == 2)
            for entry in entries { #expect(Int(entry.at.timeIntervalSince1970 + 7 * 3600) % 86_400 == 0) }
        }
    }

    /// Every text and byte value of every table, as one string.
    static func allStoredText(_ app: Application) async throws -> String {
        let sql = app.db as! any SQLDatabase
        let tables = try await TestDatabase.tables(app)
        var text = ""
        for table in tables {
            for row in try await sql.raw("SELECT * FROM \(ident: table)").all() {
                for column in row.allColumns {
                    if let value = try? row.decode(column: column, as: String.self) {
                        text += value + "\n"
                    } else if let value = try? row.decode(column: column, as: Data.self) {
                        text += String(decoding: value, as: UTF8.self) + "\n"
                    }
                }
            }
        }
        return text
    }

    @Test("five wrong codes from one address stop its guessing for a while, whatever its cookies; a right code opens")
    func guessing() async throws {
        try await withJagaApp { app in
            let (code, _, _) = try await self.report(app)
            var guesser = TestBrowser(app)
            let form = try await guesser.get("/lacak")
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))
            for attempt in 1...5 {
                let wrong = try await guesser.post(
                    "/lacak", [("kode", String(format: "1234 5678 9012 3456 %04d", attempt))], csrf: token)
                #expect(wrong.status == .unprocessableEntity)
                #expect(wrong.html.contains("Kode ini tidak cocok dengan laporan mana pun."))
            }
            let blocked = try await guesser.post("/lacak", [("kode", "1234 5678 9012 3456 9999")], csrf: token)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.html.contains("Terlalu banyak kode yang salah."))
            // A fresh anonymous cookie is a new browser, not a new client: still blocked.
            var fresh = TestBrowser(app)
            let freshToken = try await fresh.csrfToken(from: "/lacak")
            let again = try await fresh.post("/lacak", [("kode", "1234 5678 9012 3456 8888")], csrf: freshToken)
            #expect(again.status == .tooManyRequests)
            // The reporter's right code is never refused, from the blocked address or any other.
            let opened = try await guesser.post("/lacak", [("kode", code)], csrf: token)
            #expect(opened.status == .ok && opened.html.contains("pelicin"))
            // The count of guesses lives in memory, under a keyed hash (the table that kept them is gone).
            #expect(app.receiptFailures.keyCount == 1)
            // Fifteen minutes later the guesser may try again, and the address is forgotten.
            app.clock = .fixed(testToday.addingTimeInterval(16 * 60))
            app.receiptFailures.forgetExpired(now: app.clock.now())
            #expect(app.receiptFailures.keyCount == 0)
            let later = try await guesser.post("/lacak", [("kode", "1234 5678 9012 3456 7777")], csrf: token)
            #expect(later.status == .unprocessableEntity)
        }
    }

    @Test("a report with three attachments keeps all three, each sealed")
    func threeAttachments() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/lapor")
            let files = (1...3).map { ("bukti[]", "bukti-\($0).pdf", Self.attachment + Data([UInt8($0)])) }
            let page = try await visitor.postMultipart(
                "/lapor", fields: [("_csrf", token), ("instansi", "1"), ("isi", Self.body)], files: files)
            #expect(page.status == .created)
            let stored = try await PublicCaseFile.query(on: app.db).all()
            #expect(stored.count == 3)
            let desk = CaseDesk(app: app, database: app.db)
            #expect(try stored.map { try desk.content(of: $0) }.sorted { $0.last! < $1.last! } == files.map(\.2))
        }
    }

    @Test("fresh cookies do not multiply a client's reports: the sixth in an hour from one address waits")
    func reportsLimitedPerAddress() async throws {
        try await withJagaApp { app in
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            var statuses: [HTTPStatus] = []
            for attempt in 1...6 {
                var visitor = TestBrowser(app)
                let token = try await visitor.csrfToken(from: "/lapor")
                let page = try await visitor.post(
                    "/lapor",
                    [
                        ("instansi", String(aceh.id!)),
                        ("isi", "Laporan uji nomor \(attempt): pungutan liar di loket pelayanan perizinan."),
                    ], csrf: token)
                statuses.append(page.status)
            }
            #expect(statuses == [.created, .created, .created, .created, .created, .tooManyRequests])
        }
    }

    @Test("a forwarded case left unanswered past its deadline is counted as late on the scorecard and for Setnas")
    func overdue() async throws {
        try await withJagaApp { app in
            let (_, target, _) = try await self.report(app)
            let desk = CaseDesk(app: app, database: app.db)
            let setnas = CaseDesk.Actor(kind: .setnas, user: nil)
            let report = try #require(try await PublicCase.find(1, on: app.db))
            _ = try await desk.take(.verify, on: report, by: setnas, note: nil, expectedVersion: 1)
            _ = try await desk.take(.forward, on: report, by: setnas, note: nil, expectedVersion: 2)
            var visitor = TestBrowser(app)
            let onTime = try await visitor.get("/instansi/\(target.$instansi.id)")
            #expect(onTime.html.contains("1 diteruskan, 0 ditanggapi, 0 terlambat ditanggapi."))
            // 10 December 2026: the 9 December deadline has passed.
            app.clock = .fixed(testToday.addingTimeInterval(10 * 86_400))
            let late = try await visitor.get("/instansi/\(target.$instansi.id)")
            #expect(late.html.contains("1 diteruskan, 0 ditanggapi, 1 terlambat ditanggapi."))
            #expect(late.html.contains("cases-line--late"))
            let admin = try await makeAccount([.adminSetnas], on: app)
            var staff = TestBrowser(app)
            _ = try await staff.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            #expect(
                try await staff.get("/setnas/laporan-masyarakat").html.contains(
                    "<strong class=\"overdue\">terlambat</strong>"))
        }
    }

    @Test(
        "markup in every text the public writes comes back as text; a filled honeypot or a short report keeps the text")
    func textStaysText() async throws {
        try await withJagaApp { app in
            let script = "<script>alert('jaga')</script><img src=x onerror=alert(1)>"
            let (code, _, _) = try await self.report(
                app, body: "Laporan dengan markup: " + script, contact: script)
            var reporter = TestBrowser(app)
            let form = try await reporter.get("/lacak")
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))
            let page = try await reporter.post("/lacak/pesan", [("kode", code), ("isi", script)], csrf: token)
            #expect(
                page.html.contains("&lt;script&gt;alert(&#39;jaga&#39;)&lt;/script&gt;")
                    || page.html.contains("&lt;script&gt;"))
            #expect(!page.html.contains(script))
            let admin = try await makeAccount([.adminSetnas], on: app)
            var staff = TestBrowser(app)
            _ = try await staff.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            let staffPage = try await staff.get("/setnas/laporan-masyarakat/1")
            #expect(!staffPage.html.contains(script) && staffPage.html.contains("&lt;script&gt;"))

            // A machine fills the hidden field: nothing is stored, and a person's text would stay in the form.
            var machine = TestBrowser(app)
            let blank = try await machine.get("/lapor?instansi=1")
            let csrf = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: blank.html))
            let trapped = try await machine.post(
                "/lapor", [("instansi", "1"), ("isi", Self.body), ("situs", "http://spam.example")], csrf: csrf)
            #expect(trapped.status == .unprocessableEntity)
            #expect(trapped.html.contains("uang pelicin Rp500.000"))
            let short = try await machine.post("/lapor", [("instansi", "1"), ("isi", "terlalu pendek")], csrf: csrf)
            #expect(short.status == .unprocessableEntity)
            #expect(
                short.html.contains("Isi laporan terlalu pendek") && short.html.contains(">terlalu pendek</textarea>"))
            // The error summary links to the field, which says it is invalid and which message describes it.
            #expect(short.html.contains(#"<div class="error-summary" role="alert">"#))
            #expect(short.html.contains(##"<li><a href="#teks-laporan">Isi laporan terlalu pendek"##))
            #expect(
                short.html.contains(
                    #"aria-describedby="isi-hint teks-laporan-galat" aria-invalid="true">terlalu pendek</textarea>"#))
            #expect(short.html.contains(#"<p class="field-error" id="teks-laporan-galat">Isi laporan terlalu pendek"#))
            // The machine's trap names no field: the summary says it without a link.
            #expect(!trapped.html.contains("aria-invalid"))
            // An executable named .pdf is refused by its content; the text stays.
            let refused = try await machine.postMultipart(
                "/lapor", fields: [("_csrf", csrf), ("instansi", "1"), ("isi", Self.body)],
                files: [("bukti[]", "bukti.pdf", Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) + Data(count: 64))])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.html.contains("ada lampiran yang tidak dapat diterima") && refused.html.contains("bukti.pdf"))
            #expect(refused.html.contains("uang pelicin Rp500.000"))
            #expect(try await PublicCase.query(on: app.db).count() == 1)
        }
    }

    @Test(
        "on the embedded default the key is generated into the data directory, and the database file holds no plaintext"
    )
    func embeddedFile() async throws {
        try await withJagaApp(embedded: true) { app in
            _ = try await self.report(app)
            let directory = app.config.dataDirectory as NSString
            let keyPath = directory.appendingPathComponent(SealingKey.fileName)
            let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            // Whatever SQLite has written so far: the database file and its journal.
            var bytes = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: directory as String)
            where name.hasPrefix(AppConfig.sqliteFileName) {
                bytes += FileManager.default.contents(atPath: directory.appendingPathComponent(name)) ?? Data()
            }
            #expect(bytes.count > 100_000)
            #expect(bytes.range(of: Data("uang pelicin".utf8)) == nil)
            #expect(bytes.range(of: Data("pelapor.rahasia".utf8)) == nil)
            #expect(bytes.range(of: Data("kuitansi pungli".utf8)) == nil)
            // The same report is readable through the app, with the key from the file.
            let report = try #require(try await PublicCase.find(1, on: app.db))
            #expect(try CaseDesk(app: app, database: app.db).body(of: report) == Self.body)
        }
    }

    @Test("the contact promise on /lapor is the code: never to the instansi reported, to Timnas only with approval")
    func twoPersonReveal() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let promise = try await visitor.get("/lapor")
            #expect(promise.html.contains("Kontak tidak pernah diberikan kepada instansi yang Anda laporkan."))
            #expect(promise.html.contains("hanya dapat membukanya untuk anggota Timnas PK"))
            #expect(promise.html.contains("persetujuan Admin Setnas kedua"))

            let (_, target, _) = try await self.report(app)
            let aceh = try #require(try await Instansi.find(target.$instansi.id, on: app.db))
            let desk = CaseDesk(app: app, database: app.db)
            let report = try #require(try await PublicCase.find(1, on: app.db))
            _ = try await desk.take(
                .verify, on: report, by: .init(kind: .setnas, user: nil), note: nil, expectedVersion: 1)
            _ = try await desk.take(
                .forward, on: report, by: .init(kind: .setnas, user: nil), note: nil, expectedVersion: 2)
            let focal = try await makeAccount([.focalPoint], instansi: aceh, on: app)
            let timnas = try await makeAccount([.timnas], on: app)
            var official = TestBrowser(app)
            _ = try await official.signIn(focal.email, focal.password, totpSecret: focal.totpSecret)
            var member = TestBrowser(app)
            _ = try await member.signIn(timnas.email, timnas.password, totpSecret: timnas.totpSecret)

            var first = TestBrowser(app)
            let firstAdmin = try await makeAccount([.adminSetnas], on: app)
            _ = try await first.signIn(firstAdmin.email, firstAdmin.password, totpSecret: firstAdmin.totpSecret)
            let path = "/setnas/laporan-masyarakat/1"
            // The choice offers Timnas members only, and nobody is chosen in advance.
            let page = try await first.get(path)
            #expect(page.html.contains(#"<option value="" selected>Pilih anggota Timnas PK</option>"#))
            #expect(page.html.contains("value=\"\(timnas.id)\""))
            #expect(!page.html.contains("<option value=\"\(focal.id)\""))
            // Asking for the instansi reported is refused, whatever the form says.
            let refused = try await first.post(
                path + "/buka-kontak",
                [("penerima", String(focal.id)), ("isi", "Inspektorat perlu menghubungi saksi.")],
                csrf: try await first.csrfToken(from: path))
            #expect(refused.status == .unprocessableEntity && refused.html.contains("tidak untuk pejabat instansi"))
            let asked = try await first.post(
                path + "/buka-kontak", [("penerima", String(timnas.id)), ("isi", "KPK perlu menghubungi saksi.")],
                csrf: try await first.csrfToken(from: path))
            #expect(asked.status == .seeOther)
            let own = try await first.post(
                path + "/persetujuan-kontak/1", [], csrf: try await first.csrfToken(from: path))
            #expect(own.status == .unprocessableEntity && own.html.contains("Admin Setnas lain"))

            var second = TestBrowser(app)
            let secondAdmin = try await makeAccount([.adminSetnas], on: app)
            _ = try await second.signIn(secondAdmin.email, secondAdmin.password, totpSecret: secondAdmin.totpSecret)
            let approved = try await second.post(
                path + "/persetujuan-kontak/1", [], csrf: try await second.csrfToken(from: path))
            #expect(approved.status == .seeOther)
            #expect(try await desk.contactIsRevealed(report, to: timnas.id))
            #expect(!(try await official.get("/laporan-masyarakat/1")).html.contains("pelapor.rahasia"))
            let entries = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.publicCase.rawValue)
                .all().filter { $0.detail.contains("membuka kontak") }
            #expect(entries.map(\.actorID) == [firstAdmin.user.id, secondAdmin.user.id])
            #expect(entries.allSatisfy { $0.reason == "KPK perlu menghubungi saksi." && !$0.isPublic })
        }
    }
}
