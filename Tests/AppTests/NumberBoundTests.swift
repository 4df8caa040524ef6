import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Numbers beyond the bound: refused at every door, and shown if they are already stored", .serialized)
struct NumberBoundTests {
    @Test("a Unit Teknis typing capaian 100000000000000000000 is told the range; the narasi stays, nothing is saved")
    func webFormRefusesHugeCapaian() async throws {
        try await withJagaApp { app in
            // setup
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.unitTeknis.get(path)
            // MUT
            let refused = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                    ("versi", ReportingFixture.version(page)), ("tindakan", "save"),
                    ("capaian", "100000000000000000000"), ("narasi", "Narasi yang tidak boleh hilang."),
                ], files: [])
            // validate
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("harus berupa angka dari 0 sampai 1.000.000.000.000"))
            #expect(refused.html.contains("Narasi yang tidak boleh hilang."))
            #expect(try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).count() == 0)
        }
    }

    @Test("a key holder posting capaian 1.7976931348623157e308 gets a 422 naming the range; nothing is saved")
    func apiRefusesHugeCapaian() async throws {
        try await withJagaApp { app in
            app.clock = .fixed(reportingDay)
            let api = ReportingAPITests()
            let aceh = try await api.aceh(app)
            let key = try await api.key(for: aceh, on: app)
            let target = try #require(try await api.firstQuarterTargets(of: aceh, on: app).first)
            for number in ["1.7976931348623157e308", "1e13", "-1", "1e400"] {
                let answer = try await api.call(
                    app, .POST, "/api/v1/laporan/\(target.id!)", key: key,
                    json: #"{"version": 0, "action": "save", "capaian": \#(number)}"#)
                #expect(answer.status.code >= 400 && answer.status.code < 500, "\(number)")
            }
            let answer = try await api.call(
                app, .POST, "/api/v1/laporan/\(target.id!)", key: key,
                json: #"{"version": 0, "action": "save", "capaian": 1.7976931348623157e308}"#)
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains("1.000.000.000.000"))
            #expect(try await ReportLine.query(on: app.db).filter(\.$target.$id == target.id!).count() == 0)
        }
    }

    @Test("a verifikator's verified value and Setnas's target cells are held to the same bound")
    func verifiedValueAndTargetsRefuseHugeNumbers() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Selesai.")
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let path = SiteURL.reportLine(cast.targetID)
            let verify = try await cast.verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1e300")],
                csrf: try await cast.verifikator.csrfToken(from: path))
            #expect(verify.status == .unprocessableEntity)
            #expect(verify.html.contains("angka dari 0 sampai 1.000.000.000.000"))
        }
    }

    @Test("a value already stored far beyond the bound is shown, not a crash, on every page that shows it")
    func storedHugeValuesRender() async throws {
        try await withJagaApp { app in
            // setup: a line whose capaian and verified value were written before the bound existed
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Selesai.")
            let line = try #require(
                try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            line.capaian = 1.797_693_134_862_315_7e308
            line.verifiedValue = 1e20
            try await line.save(on: app.db)
            // MUT and validate: the pages that show it answer
            for path in [
                SiteURL.reportLine(cast.targetID),
                SiteURL.instansiReport() + "?periode=2021-2022&triwulan=1",
            ] {
                let page = try await cast.unitTeknis.get(path)
                #expect(page.status == .ok, "\(path)")
            }
            let shown = try await cast.unitTeknis.get(SiteURL.instansiReport() + "?periode=2021-2022&triwulan=1")
            #expect(shown.html.contains("179.769.313.486.231"))
            for path in [SiteURL.verificationQueue(), SiteURL.reportLine(cast.targetID)] {
                #expect(try await cast.verifikator.get(path).status == .ok, "\(path)")
            }
            var visitor = TestBrowser(app)
            #expect(try await visitor.get("/dasbor").status == .ok)
        }
    }
}
