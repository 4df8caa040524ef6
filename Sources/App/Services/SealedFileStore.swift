import Foundation
import Vapor

/// Files that must not be readable from the disk alone (attachments of laporan penyimpangan): sealed with the
/// portal's key and stored under random names in `sealed/` of the data directory.
struct SealedFileStore {
    static let purpose = "case file"

    let directory: String
    let key: SealingKey

    init(app: Application) {
        self.directory = (app.config.dataDirectory as NSString).appendingPathComponent("sealed")
        self.key = app.sealingKey
    }

    /// Seals and writes the bytes; returns the random name they are stored under.
    func store(_ data: Data) throws -> String {
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        let name = SecureToken.make().filter { $0.isLetter || $0.isNumber }
        let path = (self.directory as NSString).appendingPathComponent(name)
        guard
            FileManager.default.createFile(
                atPath: path, contents: try self.key.seal(data, purpose: Self.purpose),
                attributes: [.posixPermissions: 0o600])
        else { throw Abort(.internalServerError, reason: "cannot write a sealed file") }
        return name
    }

    func read(_ name: String) throws -> Data {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber }),
            let sealed = FileManager.default.contents(
                atPath: (self.directory as NSString).appendingPathComponent(name))
        else { throw Abort(.notFound) }
        return try self.key.open(sealed, purpose: Self.purpose)
    }
}
