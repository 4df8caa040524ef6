import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// 5 April 2021, 10:00 WIB: the reporting window of TW I 2021 is open (due 15 April, locks 30 April).
let reportingDay = Date(timeIntervalSince1970: 1_617_591_600)

/// The people and lines most reporting tests start from, shared by every suite that needs them.
enum ReportingFixture {
    static let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 7, count: 64)

    struct Cast {
        var unitTeknis: TestBrowser
        var focalPoint: TestBrowser
        var verifikator: TestBrowser
        var setnas: TestBrowser
        let targetID: Int
        let otherTargetID: Int
        /// The Unit Teknis's account: the author a review's notice goes to.
        let unitTeknisID: Int
    }

    /// Provinsi Aceh's Unit Teknis and Focal Point, the verifikator of aksi 5, Admin Setnas, and two of Aceh's TW I 2021
    /// targets of aksi 5.
    static func cast(_ app: Application) async throws -> Cast {
        app.clock = .fixed(reportingDay)
        let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
        var browsers: [TestBrowser] = []
        var unitTeknisID = 0
        for role in [Role.unitTeknis, .focalPoint, .verifikatorSetnas, .adminSetnas] {
            let account = try await makeAccount([role], instansi: role.belongsToInstansi ? aceh : nil, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(account.email, account.password, totpSecret: account.totpSecret)
            browsers.append(browser)
            if role == .unitTeknis { unitTeknisID = try account.user.requireID() }
            if role == .verifikatorSetnas {
                let aksi = try #require(try await Aksi.query(on: app.db).filter(\.$number == 5).first())
                try await VerifikatorAssignment(userID: account.user.requireID(), aksiID: aksi.requireID()).create(
                    on: app.db)
            }
        }
        let targets = try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
            .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
            .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
            .filter(Indicator.self, \.$code ~~ ["5.1.1", "5.2.1"])
            .sort(Indicator.self, \.$code).all()
        #expect(targets.count == 2)
        return Cast(
            unitTeknis: browsers[0], focalPoint: browsers[1], verifikator: browsers[2], setnas: browsers[3],
            targetID: try targets[0].requireID(), otherTargetID: try targets[1].requireID(), unitTeknisID: unitTeknisID)
    }

    /// The Aceh lines of aksi 5 filled (claims 1 and 2) and submitted: the verifikator's queue holds both, the
    /// first one oldest.
    static func submittedPair(_ app: Application) async throws -> Cast {
        var cast = try await Self.cast(app)
        _ = try await Self.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog tayang.")
        _ = try await Self.fill(&cast.unitTeknis, cast.otherTargetID, capaian: "2", narasi: "Rapat.")
        try await Self.submitAll(&cast.focalPoint)
        return cast
    }

    static func version(_ page: TestBrowser.Page) -> String {
        firstCapture(#"name="versi" value="(\d+)""#, in: page.html) ?? "-1"
    }

    /// The Unit Teknis saves the line with a PDF (public) and a PNG, and sends it to the instansi's review.
    static func fill(
        _ browser: inout TestBrowser, _ targetID: Int, capaian: String, narasi: String
    ) async throws
        -> TestBrowser.Page
    {
        let path = SiteURL.reportLine(targetID)
        let page = try await browser.get(path)
        return try await browser.postMultipart(
            path,
            fields: [
                ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                ("versi", Self.version(page)), ("tindakan", "submit_for_review"), ("capaian", capaian),
                ("narasi", narasi), ("kendala", "Anggaran terlambat cair."), ("tindakLanjut", "Rapat koordinasi."),
                ("tautan", "https://lpse.acehprov.go.id/katalog"), ("buktiPublik", "1"),
            ],
            files: [("bukti[]", "berita-acara.pdf", Self.pdf), ("bukti[]", "foto rapat.png", Self.png)])
    }

    /// The Unit Teknis saves the line (without sending it on) with one file.
    static func save(
        _ browser: inout TestBrowser, _ targetID: Int, file name: String, _ content: Data
    ) async throws -> TestBrowser.Page {
        let path = SiteURL.reportLine(targetID)
        let page = try await browser.get(path)
        return try await browser.postMultipart(
            path,
            fields: [
                ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                ("versi", Self.version(page)), ("tindakan", "save"), ("capaian", "1"), ("narasi", "Berita acara."),
            ],
            files: [("bukti[]", name, content)])
    }

    /// The Focal Point approves every line of the report waiting for review, then submits every reviewed line to
    /// Setnas through the check page, as the pages do. Returns the last response (the redirect to the report).
    @discardableResult
    static func submitAll(
        _ browser: inout TestBrowser, cycle: String = "2021-2022", triwulan: Int = 1
    ) async throws -> TestBrowser.Page {
        let query: [(String, String?)] = [("periode", cycle), ("triwulan", String(triwulan))]
        let report = try await browser.get(SiteURL.instansiReport(query: query))
        let waiting = report.html.components(separatedBy: "<tr>").filter { $0.contains(#"badge--review""#) }
            .compactMap { firstCapture(#"href="/laporan/baris/(\d+)""#, in: $0).flatMap(Int.init) }
        for id in waiting {
            let line = try await browser.get(SiteURL.reportLine(id))
            _ = try await browser.post(
                SiteURL.reportLineAction(id), [("versi", Self.version(line)), ("tindakan", "approve_review")],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: line.html)))
        }
        let token = try await browser.csrfToken(from: SiteURL.instansiReport(query: query))
        let check = try await browser.post(SiteURL.instansiReportCheck(query: query), [("semua", "1")], csrf: token)
        return try await browser.post(
            SiteURL.instansiReportSubmit(query: query), formFields(matching: #"diperiksa\[\]"#, in: check.html),
            csrf: token)
    }
}
