import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("One rule for a report line's words and links", .serialized)
struct ReportContentRuleTests {
    static let longNarasi = String(repeating: "a", count: ReportContentRules.maximumTextLength + 1)
    static let badLink = "ftp://arsip.acehprov.go.id/notulen"
    /// The sentences every entry point says, from the one rule.
    static let tooLong = "Narasi terlalu panjang: paling banyak 10.000 karakter."
    static let notALink =
        "Tautan “ftp://arsip.acehprov.go.id/notulen” bukan alamat web: awali dengan https:// atau http://."

    @Test("the form, the API and the spreadsheet refuse the same over-long narasi and bad link with the same words")
    func threeDoorsOneRule() async throws {
        try await withJagaApp { app in
            // setup: Aceh's Unit Teknis in a browser, Aceh's system with a key, Aceh's first three lines of TW I.
            let spreadsheet = ReportSpreadsheetTests()
            var setting = try await spreadsheet.setting(app)
            let api = ReportingAPITests()
            let key = try await api.key(for: setting.aceh, on: app)
            let formTarget = try setting.targets[0].requireID()
            let apiTarget = try setting.targets[1].requireID()

            // The web form.
            let path = SiteURL.reportLine(formTarget)
            let page = try await setting.unitTeknis.get(path)
            let form = try await setting.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                    ("versi", "0"), ("tindakan", "save"), ("capaian", "1"), ("narasi", Self.longNarasi),
                    ("kendala", ""), ("tindakLanjut", ""), ("tautan", "https://lpse.acehprov.go.id\n" + Self.badLink),
                ], files: [])
            #expect(form.status == .unprocessableEntity)
            #expect(form.html.contains(Self.tooLong))
            #expect(form.html.contains(Self.notALink))
            // What was typed stays in the form, whole: nothing is cut to fit.
            #expect(form.html.contains(Self.longNarasi))

            // The reporting API.
            let body = """
                {"version": 0, "action": "save", "capaian": 1, "narasi": "\(Self.longNarasi)",
                 "links": ["https://lpse.acehprov.go.id", "\(Self.badLink)"]}
                """
            let answer = try await api.call(app, .POST, "/api/v1/laporan/\(apiTarget)", key: key, json: body)
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.body["error"]?["code"]?.text == "invalid_content")
            let message = try #require(answer.body["error"]?["message"]?.text)
            #expect(message.contains(Self.tooLong))
            #expect(message.contains(Self.notALink))

            // The spreadsheet: the third line's row, named by its row and indicator.
            var rows = try spreadsheet.rows(try await setting.unitTeknis.get(ReportSpreadsheetTests.downloadPath))
            let row = try #require(rows.firstIndex { $0["id_baris"] == String(try setting.targets[2].requireID()) })
            rows[row]["narasi"] = Self.longNarasi
            rows[row]["tautan"] = Self.badLink
            let refused = try await spreadsheet.upload(&setting.unitTeknis, spreadsheet.semicolonFile(rows))
            #expect(refused.status == .unprocessableEntity)
            let named = "Baris berkas \(row + 2) (\(setting.targets[2].indicator.code)): "
            #expect(refused.html.contains(named + Self.tooLong + " " + Self.notALink))

            // validate: none of the three wrote anything.
            #expect(try await ReportLine.query(on: app.db).count() == 0)
        }
    }

    @Test("the desk itself refuses what the rules refuse, whoever calls it")
    func deskRefuses() async throws {
        try await withJagaApp { app in
            let setting = try await ReportSpreadsheetTests().setting(app)
            let person = try #require(
                try await User.query(on: app.db).filter(\.$email == setting.account.email).with(\.$roleRows).first())
            let desk = ReportDesk(
                database: app.db, clock: app.clock,
                actor: .init(
                    SignedInUser(
                        user: person, roles: person.roles,
                        session: UserSession(
                            tokenHash: "", userID: try person.requireID(), stage: .active, csrfToken: "",
                            now: app.clock.now()))))
            let subject = try await desk.subject(targetID: try setting.targets[0].requireID())
            let done = try await desk.perform(
                .save, on: subject,
                content: .init(capaian: 1, narasi: Self.longNarasi, links: Self.badLink), expectedVersion: 0)
            guard case .failure(.content(let problems)) = done else {
                Issue.record("the desk stored content the rules refuse: \(done)")
                return
            }
            #expect(
                problems == [
                    .tooLong(.narasi, limit: ReportContentRules.maximumTextLength), .notALink(Self.badLink),
                ])
            #expect(try await ReportLine.query(on: app.db).count() == 0)
        }
    }
}
