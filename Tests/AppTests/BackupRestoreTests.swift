import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// On the SQLite suite the portal runs embedded (a file, `VACUUM INTO`); on the PostgreSQL suite on the server
/// (`pg_dump`, `pg_restore`).
@Suite("Backup and restore: `jaga backup`, `jaga restore`, the key at start-up")
struct BackupRestoreTests {
    static var embedded: Bool { !TestDatabase.isPostgres }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("jaga-backup-\(UUID().uuidString)").path
    }

    @Test("a backup restored into an empty portal keeps its audit log, evidence and reports; background work waits")
    func roundTrip() async throws {
        let backup = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        let keyFile = Self.temporaryDirectory() + ".key"
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        var code = ""
        var entries = 0
        try await withJagaApp(embedded: Self.embedded) { app in
            if Self.embedded {
                // Kept apart from the backup, as the RUNBOOK says.
                try FileManager.default.copyItem(
                    atPath: app.config.dataDirectory + "/" + SealingKey.fileName, toPath: keyFile)
            }
            code = try await PublicCaseTests().report(app).code
            var cast = try await ReportingFixture.cast(app)
            let saved = try await ReportingFixture.save(
                &cast.unitTeknis, cast.targetID, file: "berita-acara.pdf", StoredFileTests.pdf)
            #expect(saved.status == .seeOther)
            let manifest = try await PortalBackup(app: app).backup(into: backup)
            entries = manifest.auditEntries
            #expect(
                manifest.files.contains {
                    $0.path == "blobs/" + BlobStore.sha256(StoredFileTests.pdf).prefix(2) + "/"
                        + BlobStore.sha256(StoredFileTests.pdf)
                })
            #expect(manifest.keyFingerprint == app.sealingKey.fingerprint)
            #expect(!FileManager.default.fileExists(atPath: backup + "/" + SealingKey.fileName))
            // A second backup into the same directory is refused.
            await #expect(throws: PortalBackup.Failure.self) { try await PortalBackup(app: app).backup(into: backup) }
        }
        try await withJagaApp(seeded: false, migrated: false, embedded: Self.embedded) { app in
            if Self.embedded {
                // Without the key nothing is restored: no report would open.
                do {
                    _ = try await PortalBackup(app: app).restore(from: backup)
                    Issue.record("a restore without the key went ahead")
                } catch let failure as PortalBackup.Failure {
                    #expect(failure.description.contains("--key FILE"))
                }
            }
            let manifest = try await PortalBackup(app: app).restore(
                from: backup, keyFile: Self.embedded ? keyFile : nil)
            guard case .success(let head) = try await AuditTrail(database: app.db, clock: app.clock).verify() else {
                Issue.record("the restored audit log does not verify")
                return
            }
            #expect(head.count == entries && head.hash == manifest.auditHead)
            #expect(try await BlobsVerifyCommand.check(app).contains("1 laporan attachments open"))
            try await DatabasePreparation.requireKeyOpensSealedData(app)
            #expect(try app.blobStore.read(BlobStore.sha256(StoredFileTests.pdf)) == StoredFileTests.pdf)

            // Nothing is sent from the restored copy until an operator resumes the work.
            #expect(try await BackgroundPause(database: app.db as! any SQLDatabase).reason() != nil)
            let pending = try await Job.query(on: app.db).filter(\.$state == .pending).count()
            #expect(try await JobRunner(app: app).runDue() == JobRunner.Pass())
            #expect(try await Job.query(on: app.db).filter(\.$state == .pending).count() == pending)

            // The reporter's receipt code still opens the report.
            var reporter = TestBrowser(app)
            let form = try await reporter.get("/lacak")
            let tracked = try await reporter.post(
                "/lacak", [("kode", code)],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html)))
            #expect(tracked.status == .ok)
            #expect(tracked.html.contains("uang pelicin Rp500.000"))

            // A restore never writes over a portal.
            await #expect(throws: PortalBackup.Failure.self) {
                try await PortalBackup(app: app).restore(from: backup, keyFile: Self.embedded ? keyFile : nil)
            }
            #expect(try await BackgroundPause(database: app.db as! any SQLDatabase).resume())
            #expect(try await JobRunner(app: app).runDue().done >= 1)
        }
    }

    @Test("a backup whose file was changed is refused before anything is restored")
    func damagedBackup() async throws {
        let backup = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        try await withJagaApp(seeded: false, embedded: Self.embedded) { app in
            _ = try app.blobStore.store(StoredFileTests.pdf)
            _ = try await PortalBackup(app: app).backup(into: backup)
        }
        let hash = BlobStore.sha256(StoredFileTests.pdf)
        try Data("lain".utf8).write(to: URL(fileURLWithPath: "\(backup)/blobs/\(hash.prefix(2))/\(hash)"))
        try await withJagaApp(seeded: false, migrated: false, embedded: Self.embedded) { app in
            do {
                _ = try await PortalBackup(app: app).restore(from: backup)
                Issue.record("a damaged backup was restored")
            } catch let failure as PortalBackup.Failure {
                #expect(
                    failure.description.contains("blobs/\(hash.prefix(2))/\(hash) in the backup is missing or damaged"))
            }
            #expect(app.blobStore.storedHashes().isEmpty)
        }
    }

    @Test("start-up refuses, in one line, a key that does not open the sealed reports")
    func wrongKey() async throws {
        try await withJagaApp { app in
            _ = try await PublicCaseTests().report(app)
            try await DatabasePreparation.requireKeyOpensSealedData(app)
            app.sealingKey = try SealingKey.load(
                config: {
                    var other = app.config
                    other.secretKey = Data(repeating: 9, count: 32).base64EncodedString()
                    return other
                }())
            do {
                try await DatabasePreparation.requireKeyOpensSealedData(app)
                Issue.record("a wrong key was accepted")
            } catch let error as StartupError {
                #expect(error.description.contains("do not open with this key"))
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
