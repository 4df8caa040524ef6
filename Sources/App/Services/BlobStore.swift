import Crypto
import Foundation
import StranasCore
import Vapor

/// Evidence files on disk, each stored once under the SHA-256 of its bytes: `<data>/blobs/ab/abcdef…`. The client's
/// file name never becomes a path.
///
/// Durable before it is cited: a file is written to a temporary name, flushed to the disk (`fsync`), renamed into
/// place and its directory flushed, all before the transaction that cites its hash commits. A file already there is
/// kept only if its bytes still have its hash; a damaged one is written again. Reads check the hash too, so a damaged
/// file is never served as evidence.
struct BlobStore: Sendable {
    let directory: String

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).hex }

    /// A stored file whose bytes no longer have its hash.
    struct Damaged: Error, CustomStringConvertible {
        let sha256: String
        var description: String { "the stored file \(self.sha256) does not have that hash: it is damaged" }
    }

    func path(of sha256: String) -> String {
        "\(self.directory)/\(sha256.prefix(2))/\(sha256)"
    }

    /// Stores the bytes (once), durably, and returns their hash.
    @discardableResult
    func store(_ data: Data) throws -> String {
        let hash = Self.sha256(data)
        let path = self.path(of: hash)
        if let existing = FileManager.default.contents(atPath: path), Self.sha256(existing) == hash { return hash }
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Self.flushDirectory(self.directory)
            try Self.flushDirectory((self.directory as NSString).deletingLastPathComponent)
        }
        try Self.writeDurably(data, to: path)
        return hash
    }

    /// The bytes stored under `sha256`: nil when there is no such file, `Damaged` when its bytes are not that hash.
    func read(_ sha256: String) throws -> Data? {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { return nil }
        guard let data = FileManager.default.contents(atPath: self.path(of: sha256)) else { return nil }
        guard Self.sha256(data) == sha256.lowercased() else { throw Damaged(sha256: sha256) }
        return data
    }

    /// Every stored file's hash, from the names on disk.
    func storedHashes() -> [String] {
        let manager = FileManager.default
        let folders = (try? manager.contentsOfDirectory(atPath: self.directory)) ?? []
        return folders.sorted().flatMap { folder in
            ((try? manager.contentsOfDirectory(atPath: "\(self.directory)/\(folder)")) ?? [])
                .filter { $0.count == 64 && $0.hasPrefix(folder) && $0.allSatisfy(\.isHexDigit) }.sorted()
        }
    }

    /// Writes `data` at `path` so that it survives a crash once this returns: into a temporary file, flushed, renamed
    /// over whatever was there (a reader sees the old bytes or the new, never half a file), the directory flushed.
    static func writeDurably(_ data: Data, to path: String, permissions: mode_t = 0o640) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        do {
            try Self.writeFlushed(data, to: temporary, permissions: permissions)
            guard rename(temporary, path) == 0 else { throw POSIXError.current }
            try Self.flushDirectory((path as NSString).deletingLastPathComponent)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func writeFlushed(_ data: Data, to path: String, permissions: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw POSIXError.current }
        defer { close(descriptor) }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError.current
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw POSIXError.current }
    }

    /// Makes a directory's entries (a new file name, a rename) durable.
    static func flushDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError.current }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError.current }
    }
}

extension POSIXError {
    /// The error of the last failed system call.
    static var current: POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

extension Application {
    var blobStore: BlobStore {
        BlobStore(directory: URL(fileURLWithPath: self.config.dataDirectory).appendingPathComponent("blobs").path)
    }
}
