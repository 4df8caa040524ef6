import Fluent
import Foundation
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("The hash-chained audit log", .serialized)
struct AuditTrailTests {
    /// Two changes through the portal: creating the draft cycle 2023-2024 (an internal entry), then revising a target of
    /// the published 2021-2022 plan with a reason (a public entry).
    func makeHistory(_ app: Application) async throws -> (browser: TestBrowser, reason: String) {
        let admin = CycleAdminTests()
        var browser = try await admin.signedInSetnas(app)
        _ = try await admin.newCycle(&browser)
        let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
        let path = "/setnas/periode/2021-2022/target/5.1.1"
        let grid = try await browser.get(path)
        let cell = "t_\(aceh.id!)_8"
        let fields = formFields(matching: #"t_\d+_\d"#, in: grid.html).map { ($0.0, $0.0 == cell ? "3" : $0.1) }
        let reason = "Revisi sesuai surat Setnas nomor 12 tahun 2022."
        let saved = try await browser.post(
            path, fields + [("reason", reason)], csrf: try await browser.csrfToken(from: path))
        #expect(saved.location == path + "?pesan=tersimpan")
        return (browser, reason)
    }

    @Test("portal changes are appended in order, each linked to the one before, and the chain verifies")
    func changesAreChained() async throws {
        try await withJagaApp { app in
            _ = try await self.makeHistory(app)
            let entries = try await AuditEntry.query(on: app.db).sort(\.$sequence).all()
            #expect(entries.map(\.action) == ["cycle.create", "target.change"])
            #expect(entries.map(\.sequence) == [1, 2])
            #expect(entries[0].previousHash == AuditTrail.genesis)
            #expect(entries[1].previousHash == entries[0].hash)
            #expect(entries[1].subject == "2021-2022 indikator 5.1.1")
            #expect(entries[1].detail == "Provinsi Aceh · TW 8: 1 → 3")
            #expect(entries[1].reason == "Revisi sesuai surat Setnas nomor 12 tahun 2022.")
            #expect(entries[1].actor.hasSuffix(">"))
            #expect(entries[1].actorID != nil)
            let verified = try await AuditTrail(database: app.db, clock: app.clock).verify()
            #expect(verified == .success(.init(count: 2, hash: entries[1].hash)))
        }
    }

    @Test("the public log shows published changes with the chain's head; drafts stay on the Setnas log")
    func publicAndInternal() async throws {
        try await withJagaApp { app in
            var (browser, reason) = try await self.makeHistory(app)
            let head = try await AuditTrail(database: app.db, clock: app.clock).head()
            var visitor = TestBrowser(app)
            let page = try await visitor.get("/jejak")
            #expect(page.status == .ok)
            #expect(page.html.contains(head.hash))
            #expect(page.html.contains("Target diubah"))
            #expect(page.html.contains(reason))
            #expect(!page.html.contains("Periode dibuat"))
            // The public sees the name, not the address.
            #expect(!page.html.contains("@example"))
            let full = try await browser.get("/setnas/jejak")
            #expect(full.html.contains("Periode dibuat"))
            #expect(full.html.contains("internal"))
        }
    }

    @Test("a refused change writes no entry")
    func refusedChangeLeavesNoEntry() async throws {
        try await withJagaApp { app in
            var browser = try await CycleAdminTests().signedInSetnas(app)
            let path = "/setnas/periode/2021-2022/target/5.1.1"
            let grid = try await browser.get(path)
            let fields = formFields(matching: #"t_\d+_\d"#, in: grid.html).map { ($0.0, $0.1.isEmpty ? "" : "7") }
            let refused = try await browser.post(path, fields, csrf: try await browser.csrfToken(from: path))
            #expect(refused.status == .unprocessableEntity)
            #expect(try await AuditEntry.query(on: app.db).count() == 0)
        }
    }

    @Test("editing, reordering or removing an entry breaks the chain at that entry")
    func tamperingIsDetected() async throws {
        try await withJagaApp { app in
            let trail = AuditTrail(database: app.db, clock: app.clock)
            for number in 1...4 {
                try await trail.record(
                    .init(action: .planEdited, subject: "2023-2024", detail: "change \(number)", isPublic: true),
                    by: .commandLine)
            }
            #expect(try await trail.verify() == .success(try await trail.head()))
            let sql = app.db as! any SQLDatabase

            try await sql.update("audit_log").set("detail", to: "something else").where("seq", .equal, 3).run()
            #expect(
                try await trail.verify() == .failure(.init(sequence: 3, problem: "its content does not match its hash"))
            )
            try await sql.update("audit_log").set("detail", to: "change 3").where("seq", .equal, 3).run()
            #expect(try await trail.verify() == .success(try await trail.head()))

            try await sql.delete(from: "audit_log").where("seq", .equal, 2).run()
            #expect(try await trail.verify() == .failure(.init(sequence: 2, problem: "entry is missing")))
        }
    }

    @Test("`jaga audit verify` names the count and head, and fails on a broken chain")
    func verifyCommand() async throws {
        try await withJagaApp { app in
            let trail = AuditTrail(database: app.db, clock: app.clock)
            let entry = try #require(
                try await trail.record(
                    .init(action: .cyclePublished, subject: "2023-2024", detail: "12 aksi", isPublic: true),
                    by: .commandLine))
            #expect(try await AuditVerifyCommand.check(app).contains("intact: 1 entries, head \(entry.hash)"))
            try await (app.db as! any SQLDatabase).update("audit_log").set("subject", to: "2025-2026").run()
            await #expect(throws: StartupError.self) { try await AuditVerifyCommand.check(app) }
        }
    }
}
