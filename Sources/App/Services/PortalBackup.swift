import Crypto
import Foundation
import SQLKit
import Vapor

/// `jaga backup DIR` and `jaga restore DIR`: the database, the evidence files (`blobs/`) and the attachments sealed
/// on disk before migration 017 (`sealed/`), with a manifest of every file's SHA-256 and the fingerprint of the key
/// that opens the sealed reports. The key itself is never in a backup: the database alone must not be readable, so
/// the key is kept apart (RUNBOOK) and given back to `jaga restore --key` or as `JAGA_SECRET_KEY`.
///
/// The order is what keeps every row with its file: the database is copied first (SQLite: `VACUUM INTO`, an online
/// consistent copy; PostgreSQL: `pg_dump -Fc`), then the files. A file is always written before the row that cites
/// it (`BlobStore`), so the files copied after the database cover every row of that copy. The manifest is written
/// last: a directory without one is not a finished backup.
struct PortalBackup {
    let app: Application

    static let manifestName = "manifest.json"
    static let sqliteName = "jaga.sqlite"
    static let postgresName = "database.pgdump"

    struct Manifest: Codable {
        struct File: Codable, Equatable {
            let path: String
            let sha256: String
            let size: Int
        }

        var format = 1
        var createdAt: Date
        /// `sqlite` or `postgresql`.
        var database: String
        var auditEntries: Int
        var auditHead: String
        /// `SealingKey.fingerprint` of the key the sealed data needs.
        var keyFingerprint: String
        var files: [File]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private var dataDirectory: String { self.app.config.dataDirectory }
    private var isPostgres: Bool {
        if case .postgres = self.app.config.database { return true }
        return false
    }

    // MARK: - Backup

    func backup(into directory: String) async throws -> Manifest {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory), !((try? manager.contentsOfDirectory(atPath: directory)) ?? []).isEmpty
        {
            throw Failure("\(directory) is not empty: back up into a new directory.")
        }
        try manager.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let head: AuditTrail.Head
        switch try await AuditTrail(database: self.app.db, clock: self.app.clock).verify() {
        case .success(let found): head = found
        case .failure(let broken):
            throw Failure("The audit log is broken at entry \(broken.sequence); fix that before backing up.")
        }

        // 1. The database.
        if case .postgres(let url) = self.app.config.database {
            try Self.runTool(
                "pg_dump", ["--format=custom", "--no-owner", "--file", directory + "/" + Self.postgresName], url: url)
        } else {
            let target = (directory as NSString).appendingPathComponent(Self.sqliteName)
            try await (self.app.db as! any SQLDatabase)
                .raw("VACUUM INTO \(unsafeRaw: Self.sqliteLiteral(target))").run()
        }
        // 2. The files, after the database.
        let blobs = self.app.blobStore
        for hash in blobs.storedHashes() {
            guard let data = try blobs.read(hash) else { continue }
            try Self.write(data, to: Self.path(directory, "blobs", String(hash.prefix(2)), hash))
        }
        let sealed = (self.dataDirectory as NSString).appendingPathComponent("sealed")
        for name in ((try? manager.contentsOfDirectory(atPath: sealed)) ?? []).sorted() {
            guard let data = manager.contents(atPath: sealed + "/" + name) else { continue }
            try Self.write(data, to: Self.path(directory, "sealed", name))
        }
        // 3. The manifest, last.
        let manifest = Manifest(
            createdAt: self.app.clock.now(), database: self.isPostgres ? "postgresql" : "sqlite",
            auditEntries: head.count, auditHead: head.hash, keyFingerprint: self.app.sealingKey.fingerprint,
            files: try Self.listFiles(in: directory))
        try Self.write(try Self.encoder.encode(manifest), to: directory + "/" + Self.manifestName)
        return manifest
    }

    // MARK: - Restore

    /// Restores into an empty data directory and an empty database, then pauses background work. On the embedded
    /// default `keyFile` is the backed-up `secret.key` (it replaces the one made for the empty directory); with
    /// `JAGA_SECRET_KEY` it is that key. Either must be the key of the backup.
    func restore(from directory: String, keyFile: String? = nil) async throws -> Manifest {
        let manager = FileManager.default
        guard let data = manager.contents(atPath: directory + "/" + Self.manifestName) else {
            throw Failure("\(directory) has no \(Self.manifestName): it is not a finished backup of `jaga backup`.")
        }
        let manifest: Manifest
        do {
            manifest = try Self.decoder.decode(Manifest.self, from: data)
        } catch {
            throw Failure("\(directory)/\(Self.manifestName) cannot be read: \(error)")
        }
        guard manifest.database == (self.isPostgres ? "postgresql" : "sqlite") else {
            throw Failure("This backup is of a \(manifest.database) database; the portal is configured for another.")
        }
        for file in manifest.files {
            guard let bytes = manager.contents(atPath: directory + "/" + file.path),
                BlobStore.sha256(bytes) == file.sha256
            else { throw Failure("\(file.path) in the backup is missing or damaged; nothing was restored.") }
        }
        let key = try self.key(for: manifest, keyFile: keyFile)
        try await self.requireEmptyTarget()

        // 1. The database.
        if case .postgres(let url) = self.app.config.database {
            try Self.runTool(
                "pg_restore", ["--no-owner", "--exit-on-error", directory + "/" + Self.postgresName], url: url,
                databaseOption: "--dbname")
        } else {
            let target = (self.dataDirectory as NSString).appendingPathComponent(Self.sqliteName)
            for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: target + suffix) }
            try Self.write(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + Self.sqliteName)), to: target)
        }
        // 2. The files and the key.
        for file in manifest.files where file.path.hasPrefix("blobs/") || file.path.hasPrefix("sealed/") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file.path))
            try Self.write(bytes, to: self.dataDirectory + "/" + file.path)
        }
        if let key {
            try Self.write(key, to: self.dataDirectory + "/" + SealingKey.fileName, permissions: 0o600)
            self.app.sealingKey = try SealingKey.load(config: self.app.config)
        }
        // 3. Up to this version's schema, and nothing sent until an operator says so.
        try await self.app.autoMigrate()
        try await BackgroundPause(database: self.app.db as! any SQLDatabase).pause(
            note: "restored from \(directory) (backup of \(Self.timestamp(manifest.createdAt)))",
            at: self.app.clock.now())
        return manifest
    }

    /// The bytes of the key file to put in the data directory (embedded default), after checking that the key is the
    /// backup's; nil when the configured `JAGA_SECRET_KEY` is.
    private func key(for manifest: Manifest, keyFile: String?) throws -> Data? {
        if self.app.config.secretKey != nil {
            guard keyFile == nil else {
                throw Failure("JAGA_SECRET_KEY is set: give the key there, not with --key.")
            }
            guard self.app.sealingKey.fingerprint == manifest.keyFingerprint else {
                throw Failure(
                    "JAGA_SECRET_KEY is not the key of this backup (fingerprint \(manifest.keyFingerprint)); "
                        + "nothing was restored.")
            }
            return nil
        }
        guard let keyFile else {
            throw Failure(
                "Give the backed-up secret.key with --key FILE (fingerprint \(manifest.keyFingerprint)): without it "
                    + "no laporan penyimpangan would open. Nothing was restored.")
        }
        guard let bytes = FileManager.default.contents(atPath: keyFile),
            let decoded = Data(
                base64Encoded: String(decoding: bytes, as: UTF8.self).trimmingCharacters(
                    in: .whitespacesAndNewlines)),
            decoded.count == 32
        else { throw Failure("\(keyFile) does not hold a key.") }
        guard SealingKey(master: SymmetricKey(data: decoded)).fingerprint == manifest.keyFingerprint else {
            throw Failure(
                "\(keyFile) is not the key of this backup (fingerprint \(manifest.keyFingerprint)); nothing was restored."
            )
        }
        return bytes
    }

    /// A restore writes over nothing: no database file or tables, no evidence files.
    private func requireEmptyTarget() async throws {
        let manager = FileManager.default
        if self.isPostgres {
            struct Count: Decodable { let count: Int }
            let tables =
                try await (self.app.db as! any SQLDatabase)
                .raw(
                    "SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = current_schema()"
                )
                .first(decoding: Count.self)?.count ?? 0
            guard tables == 0 else {
                throw Failure("The database already has \(tables) tables: restore into an empty database.")
            }
        } else {
            let file = (self.dataDirectory as NSString).appendingPathComponent(Self.sqliteName)
            let size = (try? manager.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            guard size == 0 else {
                throw Failure("\(file) already exists: restore into an empty data directory.")
            }
        }
        guard self.app.blobStore.storedHashes().isEmpty else {
            throw Failure("\(self.dataDirectory)/blobs already holds files: restore into an empty data directory.")
        }
    }

    // MARK: - Files

    private static func listFiles(in directory: String) throws -> [Manifest.File] {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: directory) else { return [] }
        var files: [Manifest.File] = []
        for case let path as String in walker {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path))
            files.append(.init(path: path, sha256: BlobStore.sha256(data), size: data.count))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Writes durably (flushed, renamed into place), making the folders it needs.
    private static func write(_ data: Data, to path: String, permissions: mode_t = 0o640) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try BlobStore.writeDurably(data, to: path, permissions: permissions)
    }

    // MARK: - PostgreSQL tools

    /// Runs `pg_dump` or `pg_restore` from the PATH or Debian's `/usr/lib/postgresql/N/bin`, with the password in
    /// the environment rather than on the command line.
    private static func runTool(
        _ name: String, _ arguments: [String], url: String, databaseOption: String = "--dbname"
    ) throws {
        guard let tool = Self.findTool(name) else {
            throw Failure(
                "\(name) is not installed (PATH or /usr/lib/postgresql/*/bin): install postgresql-client of the "
                    + "server's version.")
        }
        var components = URLComponents(string: url)
        let password = components?.password
        components?.password = nil
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + ["\(databaseOption)=\(components?.string ?? url)"]
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("\(name) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Where Debian's PostgreSQL packages keep their programs, one directory per major version.
    private static let debianPostgres = URL(
        fileURLWithPath: "usr/lib/postgresql", relativeTo: URL(fileURLWithPath: "/")
    ).path

    /// Path components joined into one path.
    private static func path(_ components: String...) -> String { components.joined(separator: "/") }

    static func findTool(_ name: String) -> String? {
        let manager = FileManager.default
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let debian = ((try? manager.contentsOfDirectory(atPath: Self.debianPostgres)) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { Self.path(Self.debianPostgres, $0, "bin") }
        return (path + debian).map { "\($0)/\(name)" }.first { manager.isExecutableFile(atPath: $0) }
    }

    // MARK: - Encoding

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func sqliteLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
