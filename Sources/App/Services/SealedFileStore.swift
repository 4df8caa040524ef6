import Foundation
import Vapor

/// Attachments of laporan penyimpangan made before migration 017, sealed with the portal's key under random names in
/// `sealed/` of the data directory; read only. New attachments are sealed into the database (`CaseDesk`), where no
/// file's times keep the moment a reporter sent them.
struct SealedFileStore {
    static let purpose = "case file"

    let directory: String
    let key: SealingKey

    init(app: Application) {
        self.directory = (app.config.dataDirectory as NSString).appendingPathComponent("sealed")
        self.key = app.sealingKey
    }

    func read(_ name: String) throws -> Data {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber }),
            let sealed = FileManager.default.contents(
                atPath: (self.directory as NSString).appendingPathComponent(name))
        else { throw Abort(.notFound) }
        return try self.key.open(sealed, purpose: Self.purpose)
    }
}

extension PublicCaseFile {
    /// The file's bytes: sealed in the database, or, for files attached before migration 017, on disk.
    func content(app: Application) throws -> Data {
        if let sealed = self.sealedContent { return try app.sealingKey.open(sealed, purpose: SealedFileStore.purpose) }
        return try SealedFileStore(app: app).read(self.storedName)
    }
}
