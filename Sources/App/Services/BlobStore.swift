import Crypto
import Foundation
import StranasCore
import Vapor

/// Evidence files on disk, each stored once under the SHA-256 of its bytes: `<data>/blobs/ab/abcdef…`. The client's
/// file name never becomes a path. Writes go to a temporary file first and are renamed into place, so a reader never
/// sees half a file.
struct BlobStore: Sendable {
    let directory: String

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).hex }

    func path(of sha256: String) -> String {
        "\(self.directory)/\(sha256.prefix(2))/\(sha256)"
    }

    /// Stores the bytes (once) and returns their hash.
    @discardableResult
    func store(_ data: Data) throws -> String {
        let hash = Self.sha256(data)
        let path = self.path(of: hash)
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return hash }
        try manager.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard manager.createFile(atPath: temporary, contents: data) else {
            throw Abort(.internalServerError, reason: "cannot write the blob store")
        }
        if manager.fileExists(atPath: path) {
            try? manager.removeItem(atPath: temporary)
        } else {
            try manager.moveItem(atPath: temporary, toPath: path)
        }
        return hash
    }

    func read(_ sha256: String) -> Data? {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { return nil }
        return FileManager.default.contents(atPath: self.path(of: sha256))
    }
}

extension Application {
    var blobStore: BlobStore {
        BlobStore(directory: URL(fileURLWithPath: self.config.dataDirectory).appendingPathComponent("blobs").path)
    }
}
