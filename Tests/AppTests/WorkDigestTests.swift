import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// Work that finds its owner: each role is told of the work arriving for it in one digest a day, and lands on a
/// `/beranda` that counts that work with its deadline.
@Suite("Work that finds its owner: daily digests and the task list")
struct WorkDigestTests {
    func notices(_ userID: Int, _ topic: NoticeTopic, on app: Application) async throws -> [Notice] {
        try await Notice.query(on: app.db).filter(\.$user.$id == userID).filter(\.$topic == topic).sort(\.$id).all()
    }

    func holder(of role: Role, on app: Application) async throws -> [User] {
        try await User.query(on: app.db).join(UserRole.self, on: \User.$id == \UserRole.$user.$id)
            .filter(UserRole.self, \.$role == role).all()
    }

    @Test("lines sent to review reach the Focal Point in one digest a day; what arrives later waits for the next day")
    func reviewDigest() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog tayang.")
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.otherTargetID, capaian: "2", narasi: "Rapat.")
            let focalPoint = try #require(
                try await self.holder(of: .focalPoint, on: app).first { $0.email.hasPrefix("focal_point") })
            let userID = try focalPoint.requireID()
            try await JobRunner(app: app).runDue()
            var told = try await self.notices(userID, .reviewWaiting, on: app)
            #expect(told.count == 1)
            #expect(told.first?.title == "2 baris menunggu reviu Anda")
            #expect(told.first?.body.contains("- 5.1.1 · Provinsi Aceh · TW I 2021") == true)
            #expect(told.first?.link == SiteURL.instansiReport())
            let mail = try await OutboxMessage.query(on: app.db).filter(\.$recipient == focalPoint.email).all()
            #expect(mail.map(\.subject) == ["2 baris menunggu reviu Anda"])

            // The Unit Teknis takes one line back and sends it again the same day: a new version waits, untold today.
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.unitTeknis.get(path)
            _ = try await cast.unitTeknis.post(
                SiteURL.reportLineAction(cast.targetID),
                [("versi", ReportingFixture.version(page)), ("tindakan", "withdraw")],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html)))
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog lagi.")
            app.clock = .fixed(reportingDay.addingTimeInterval(3_600))
            try await JobRunner(app: app).runDue()
            #expect(try await self.notices(userID, .reviewWaiting, on: app).count == 1)

            // The next day's digest names only the new version.
            app.clock = .fixed(reportingDay.addingTimeInterval(86_400))
            try await JobRunner(app: app).runDue()
            told = try await self.notices(userID, .reviewWaiting, on: app)
            #expect(told.count == 2)
            #expect(told.last?.title == "1 baris menunggu reviu Anda")
            #expect(told.last?.body.contains("5.1.1") == true && told.last?.body.contains("5.2.1") == false)
        }
    }

    @Test("submitted lines reach their aksi's verifikator, without e-mail when that topic's e-mails are off")
    func verificationDigest() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog tayang.")
            let verifikator = try #require(
                try await VerifikatorAssignment.query(on: app.db).with(\.$user).all().map(\.user)
                    .first { $0.email.hasPrefix("verifikator_setnas") })
            let userID = try verifikator.requireID()
            try await MailOptOut(userID: userID, topic: .verificationWaiting).create(on: app.db)
            try await JobRunner(app: app).runDue()
            #expect(try await self.notices(userID, .verificationWaiting, on: app).isEmpty)

            try await ReportingFixture.submitAll(&cast.focalPoint)
            // The verifikator's page of the line leads back to the queue, not to the instansi's report (a 403).
            let line = try await cast.verifikator.get(SiteURL.reportLine(cast.targetID))
            #expect(line.status == .ok)
            let crumb = try #require(firstCapture(#"<nav class="breadcrumb"[^>]*><a href="([^"]+)""#, in: line.html))
            #expect(crumb == SiteURL.verificationQueue())
            #expect(try await cast.verifikator.get(crumb).status == .ok)
            app.clock = .fixed(reportingDay.addingTimeInterval(3_600))
            try await JobRunner(app: app).runDue()
            let told = try await self.notices(userID, .verificationWaiting, on: app)
            #expect(told.map(\.title) == ["1 baris baru menunggu verifikasi Anda"])
            #expect(told.first?.link == SiteURL.verificationQueue())
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == verifikator.email).count() == 0)

        }
    }

    @Test("a new usulan reaches every Admin Setnas once, by instansi and never by its content")
    func setnasDigest() async throws {
        try await withJagaApp { app in
            app.clock = .fixed(reportingDay)
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let setnas = try await makeAccount([.adminSetnas], on: app)
            let body = "Mohon jadwal layanan perizinan diumumkan di laman."
            guard
                case .success = try await InputDesk(app: app, database: app.db).submit(
                    .init(
                        kind: .usulan, instansiID: try aceh.requireID(), aksiID: nil, targetID: nil, author: "Warga",
                        email: "", body: body))
            else { throw CaseTestError.step("submit") }
            try await JobRunner(app: app).runDue()
            app.clock = .fixed(reportingDay.addingTimeInterval(86_400))
            try await JobRunner(app: app).runDue()
            let told = try await self.notices(setnas.id, .publicInputArrived, on: app)
            #expect(told.count == 1)
            #expect(told.first?.body.contains("- Usulan atau pertanyaan · Provinsi Aceh") == true)
            #expect(told.first?.body.contains(body) == false)
            #expect(told.first?.link == SiteURL.setnasInputs())
        }
    }

    @Test("/beranda counts each role's work with its deadline, before the account, and the header links to it")
    func taskList() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog tayang.")
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let lines = try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
                .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
                .join(Cycle.self, on: \Triwulan.$cycle.$id == \Cycle.$id).filter(Cycle.self, \.$code == "2021-2022")
                .count()

            let unit = try await cast.unitTeknis.get(SiteURL.start())
            #expect(
                unit.html.contains(
                    "\(lines - 1) baris TW I 2021 belum diisi; batas waktu 15 April 2021, 10 hari lagi"))
            let focal = try await cast.focalPoint.get(SiteURL.start())
            #expect(focal.html.contains("1 baris menunggu reviu; batas waktu 15 April 2021, 10 hari lagi"))
            #expect(
                try #require(focal.html.range(of: "Pekerjaan Anda")).lowerBound
                    < (try #require(focal.html.range(of: "Akun Anda"))).lowerBound)
            #expect(focal.html.contains(#"<a href="\#(SiteURL.instansiReport())">Laporan</a>"#))
            #expect(!focal.html.contains("segera"))

            try await ReportingFixture.submitAll(&cast.focalPoint)
            let queue = try await cast.verifikator.get(SiteURL.start())
            #expect(
                queue.html.contains(
                    "1 baris menunggu verifikasi; yang terlama sebaiknya selesai 10 April 2021, 5 hari lagi"))
            #expect(queue.html.contains(#"<a href="\#(SiteURL.verificationQueue())">Verifikasi</a>"#))
            let setnas = try await cast.setnas.get(SiteURL.start())
            #expect(setnas.html.contains("instansi belum mengajukan semua baris; batas waktu 15 April 2021"))
            // Admin Setnas reads every line; its breadcrumb leads to the instansi's public page.
            let line = try await cast.setnas.get(SiteURL.reportLine(cast.targetID))
            let crumb = firstCapture(#"<nav class="breadcrumb"[^>]*><a href="([^"]+)""#, in: line.html)
            #expect(crumb == SiteURL.instansi(try aceh.requireID()))
        }
    }
}
