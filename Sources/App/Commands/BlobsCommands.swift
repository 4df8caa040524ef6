import Fluent
import Vapor

/// `jaga blobs verify`: every evidence row has its file with its hash, and every laporan attachment opens.
struct BlobsCommands: AsyncCommandGroup {
    var help: String { "Checks the stored files (evidence and laporan attachments)." }

    var commands: [String: any AnyAsyncCommand] { ["verify": BlobsVerifyCommand()] }
}

struct BlobsVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String {
        "Checks that every evidence row has its file in blobs/ with its SHA-256, and that every laporan attachment opens "
            + "with the sealing key: `jaga blobs verify`. Exits 1 naming what is missing or damaged."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            context.console.print(try await Self.check(context.application))
        }
    }

    /// The line to print when every file is there and whole; a `StartupError` naming the problems otherwise.
    static func check(_ app: Application) async throws -> String {
        try await DatabasePreparation.requireMigrated(app, config: app.config)
        let store = app.blobStore
        var problems: [String] = []
        let cited = try await EvidenceBlob.query(on: app.db).all().compactMap(\.id)
        for hash in cited {
            do {
                if try store.read(hash) == nil { problems.append("evidence \(hash): the file is missing") }
            } catch {
                problems.append("evidence \(hash): damaged, its bytes have another hash")
            }
        }
        let citedSet = Set(cited)
        let uncited = store.storedHashes().filter { !citedSet.contains($0) }
        let attachments = try await PublicCaseFile.query(on: app.db).all()
        for file in attachments {
            do {
                _ = try file.content(app: app)
            } catch {
                problems.append("laporan attachment \(file.id ?? 0): does not open with the sealing key or is missing")
            }
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(20).joined(separator: "; ")
            let more = problems.count > 20 ? " (and \(problems.count - 20) more)" : ""
            throw StartupError(
                "\(problems.count) stored files are missing or damaged: \(shown)\(more). "
                    + "Restore blobs/ (and sealed/) from the backup taken with the database.")
        }
        let spare = uncited.isEmpty ? "" : "; \(uncited.count) files in blobs/ are cited by no row (harmless)"
        return "The stored files are intact: \(cited.count) evidence files with their hash, "
            + "\(attachments.count) laporan attachments open\(spare)."
    }
}
