import Vapor

/// `jaga backup DIR`: an online, consistent copy of the portal (`PortalBackup`).
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "directory", help: "A new or empty directory to write the backup into.")
        var directory: String
    }

    var help: String {
        "Backs up the database, then blobs/ and sealed/, with a manifest of hashes and the key's fingerprint (never "
            + "the key): `jaga backup DIR`."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            let manifest = try await Self.failingAsStartup {
                try await PortalBackup(app: app).backup(into: signature.directory)
            }
            let bytes = manifest.files.reduce(0) { $0 + $1.size }
            context.console.print(
                "Backed up to \(signature.directory): \(manifest.files.count) files, \(bytes / 1024) KB; audit log "
                    + "\(manifest.auditEntries) entries, head \(manifest.auditHead). The sealed data needs the key of "
                    + "fingerprint \(manifest.keyFingerprint): keep it backed up apart from this directory.")
        }
    }

    static func failingAsStartup<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let failure as PortalBackup.Failure {
            throw StartupError(failure.description)
        }
    }
}

/// `jaga restore DIR`: into an empty data directory or database; then checks the audit log, the files and the key,
/// and leaves background work paused until `jaga jobs resume`.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "directory", help: "A directory written by `jaga backup`.")
        var directory: String

        @Option(name: "key", help: "The backed-up secret.key (embedded default; with JAGA_SECRET_KEY, leave it out).")
        var key: String?
    }

    var help: String {
        "Restores a backup of `jaga backup` into an empty data directory or database, checks it, and pauses "
            + "background work until `jaga jobs resume`: `jaga restore DIR --key secret.key`."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            let manifest = try await BackupCommand.failingAsStartup {
                try await PortalBackup(app: app).restore(from: signature.directory, keyFile: signature.key)
            }
            context.console.print("Restored the backup of \(manifest.createdAt) from \(signature.directory).")
            context.console.print(try await AuditVerifyCommand.check(app))
            context.console.print(try await BlobsVerifyCommand.check(app))
            try await DatabasePreparation.requireKeyOpensSealedData(app)
            context.console.print(
                "The sealing key opens the sealed data. Background work is paused: check the portal, then run "
                    + "`jaga jobs resume`.")
        }
    }
}
