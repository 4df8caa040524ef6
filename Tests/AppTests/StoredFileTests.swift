import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Stored files: written durably, repaired, checked when read and by `jaga blobs verify`")
struct StoredFileTests {
    static let pdf = Data("%PDF-1.7\nberita acara rapat koordinasi\n%%EOF\n".utf8)

    @Test("a damaged file is written again when the same bytes come in; a read of a damaged file is refused")
    func repairAndCheck() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jaga-blobs-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = BlobStore(directory: directory)
        let hash = try store.store(Self.pdf)
        #expect(try store.read(hash) == Self.pdf)

        try Data("rusak".utf8).write(to: URL(fileURLWithPath: store.path(of: hash)))
        #expect(throws: BlobStore.Damaged.self) { try store.read(hash) }
        #expect(try store.store(Self.pdf) == hash)
        #expect(try store.read(hash) == Self.pdf)
        #expect(store.storedHashes() == [hash])
        // No temporary file is left beside it.
        let folder = (store.path(of: hash) as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [hash])
    }

    @Test("a damaged evidence file is never served: its reader gets a page saying so, not the bytes")
    func damagedDownload() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let saved = try await ReportingFixture.save(
                &cast.unitTeknis, cast.targetID, file: "berita-acara.pdf", Self.pdf)
            #expect(saved.status == .seeOther)
            let hash = BlobStore.sha256(Self.pdf)
            let url = EvidenceController.url(sha256: hash, targetID: cast.targetID)
            #expect(try await cast.unitTeknis.get(url).status == .ok)

            try Data("%PDF-1.7\npalsu\n".utf8).write(to: URL(fileURLWithPath: app.blobStore.path(of: hash)))
            let damaged = try await cast.unitTeknis.get(url)
            #expect(damaged.status == .internalServerError)
            #expect(damaged.html.contains("Berkas bukti ini rusak di server"))
            #expect(!damaged.html.contains("palsu"))
        }
    }

    @Test("`jaga blobs verify` passes on whole files and names a missing or damaged one")
    func verify() async throws {
        try await withJagaApp(seeded: false) { app in
            let hashes = try ["satu", "dua", "tiga"].map { try app.blobStore.store(Data("%PDF-1.7 \($0)".utf8)) }
            for hash in hashes {
                try await EvidenceBlob(sha256: hash, size: 12, kind: .pdf, now: app.clock.now()).create(on: app.db)
            }
            let intact = try await BlobsVerifyCommand.check(app)
            #expect(intact.contains("3 evidence files with their hash"))

            try FileManager.default.removeItem(atPath: app.blobStore.path(of: hashes[0]))
            try Data("lain".utf8).write(to: URL(fileURLWithPath: app.blobStore.path(of: hashes[1])))
            do {
                _ = try await BlobsVerifyCommand.check(app)
                Issue.record("a missing and a damaged file passed")
            } catch let error as StartupError {
                #expect(error.description.contains("2 stored files are missing or damaged"))
                #expect(error.description.contains("evidence \(hashes[0]): the file is missing"))
                #expect(error.description.contains("evidence \(hashes[1]): damaged"))
            }
        }
    }
}
