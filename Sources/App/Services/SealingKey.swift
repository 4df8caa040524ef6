import Crypto
import Foundation
import Vapor

/// The portal's secret key, which seals what must not be readable from the database alone (the body and contact of a
/// laporan penyimpangan, its attachments) and keys the hash of receipt codes.
///
/// It comes from `JAGA_SECRET_KEY` (32 random bytes in base64). On the embedded default it is generated once into
/// the data directory (`secret.key`, readable by the owner only), so that the demo needs no configuration; with
/// PostgreSQL every instance must be given the same key, or none could read what another sealed.
struct SealingKey: Sendable {
    static let fileName = "secret.key"

    private let master: SymmetricKey

    init(master: SymmetricKey) {
        self.master = master
    }

    /// A key for one purpose, derived from the master key, so that no two uses share a key.
    private func key(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: self.master, info: Data("jaga-stranas \(purpose)".utf8), outputByteCount: 32)
    }

    /// AES-GCM with a fresh nonce: nonce, ciphertext and tag together, as one value to store.
    func seal(_ plaintext: Data, purpose: String) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: self.key(for: purpose)).combined else {
            throw Abort(.internalServerError)
        }
        return combined
    }

    func seal(_ text: String, purpose: String) throws -> Data {
        try self.seal(Data(text.utf8), purpose: purpose)
    }

    /// Opens what `seal` made for the same purpose; throws when it was changed or sealed with another key.
    func open(_ sealed: Data, purpose: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: self.key(for: purpose))
    }

    func openText(_ sealed: Data, purpose: String) throws -> String {
        String(decoding: try self.open(sealed, purpose: purpose), as: UTF8.self)
    }

    /// A keyed hash (HMAC-SHA256), hex: equal inputs give equal hashes, which nobody without the key can compute.
    func keyedHash(_ text: String, purpose: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: self.key(for: purpose))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Names the key without revealing it (a keyed hash of a fixed text), so that a backup can say which key its
    /// sealed data needs.
    var fingerprint: String {
        String(self.keyedHash("fingerprint", purpose: "key fingerprint").prefix(16))
    }

    /// The configured key, or on the embedded default the data directory's (made on first use).
    static func load(config: AppConfig) throws -> SealingKey {
        if let encoded = config.secretKey {
            guard let bytes = Data(base64Encoded: encoded), bytes.count == 32 else {
                throw ConfigurationError(
                    variable: "JAGA_SECRET_KEY",
                    expected: "32 random bytes in base64, e.g. from `openssl rand -base64 32`")
            }
            return SealingKey(master: SymmetricKey(data: bytes))
        }
        if case .postgres = config.database {
            throw ConfigurationError(
                variable: "JAGA_SECRET_KEY",
                expected: "32 random bytes in base64 (with PostgreSQL every instance needs the same key)")
        }
        let path = (config.dataDirectory as NSString).appendingPathComponent(Self.fileName)
        if let stored = FileManager.default.contents(atPath: path) {
            guard
                let bytes = Data(
                    base64Encoded: String(decoding: stored, as: UTF8.self).trimmingCharacters(
                        in: .whitespacesAndNewlines)),
                bytes.count == 32
            else {
                throw StartupError("\(path) does not hold a key. Restore it from the backup of the data directory.")
            }
            return SealingKey(master: SymmetricKey(data: bytes))
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((encoded + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw StartupError("Cannot write \(path). Choose a data directory this user can write.") }
        return SealingKey(master: key)
    }
}
