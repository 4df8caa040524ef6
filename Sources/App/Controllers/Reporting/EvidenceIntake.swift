import Crypto
import Fluent
import Foundation
import StranasCore
import Vapor

/// Turns a report form's files into stored evidence, or into a clear reason per refused file. Accepted files are
/// stored (content-addressed) at once, so that a form refused for another reason hands them back as "pending"
/// entries and nobody has to upload them again. Pending entries are signed with the server's secret for the session
/// (or API key) they were given to, so a form can only cite files its own session uploaded or was shown.
struct EvidenceIntake {
    let request: Request

    struct Outcome {
        var accepted: [ReportDesk.EvidenceItem] = []
        var problems: [String] = []
    }

    /// Why a file was refused, in the reader's language.
    struct Refusal: Error {
        let text: String
    }

    /// The size of a form's body that carries `files` files of at most `uploadLimit` bytes, and its text.
    static func bodyLimit(files: Int, uploadLimit: Int) -> Int { files * uploadLimit + 1024 * 1024 }

    /// A file's kind by its content, or why it is refused: empty, over the limit, or of a kind not accepted.
    static func check(_ file: File, request: Request) -> Result<EvidenceKind, Refusal> {
        let shownName = String(file.filename.prefix(120))
        let size = file.data.readableBytes
        let limit = request.application.config.uploadLimitBytes
        if size == 0 {
            request.application.metrics.uploadRefused("empty")
            return .failure(Refusal(text: request.t("report.error.file_empty", shownName)))
        }
        if size > limit {
            request.application.metrics.uploadRefused("too_large")
            return .failure(
                Refusal(
                    text: request.t(
                        "report.error.file_too_large", shownName,
                        request.displayFormat.number(Double(size) / 1_048_576, maximumFractionDigits: 1),
                        String(limit / 1_048_576))))
        }
        // The kind is in the first bytes (an Office file's part names within 64 KB); only CSV, which has no signature,
        // is read whole. No copy of a 20 MB file just to read its first bytes.
        let probe =
            file.filename.lowercased().hasSuffix(".csv")
            ? file.data : file.data.getSlice(at: file.data.readerIndex, length: min(size, 64 * 1024)) ?? file.data
        guard let kind = EvidenceKind.detect(Data(buffer: probe), fileName: file.filename) else {
            request.application.metrics.uploadRefused("kind")
            return .failure(Refusal(text: request.t("report.error.file_kind", shownName)))
        }
        return .success(kind)
    }

    /// The most files one save takes; more are refused with a reason, and none of them is stored.
    static let filesPerSave = 10

    /// Checks and stores uploaded files: not empty, not over the limit, of an accepted kind by content, and no more
    /// than `filesPerSave` at once.
    func take(_ files: [File], isPublic: Bool) async throws -> Outcome {
        var outcome = Outcome()
        let sent = files.filter { !$0.filename.isEmpty || $0.data.readableBytes > 0 }
        guard sent.count <= Self.filesPerSave else {
            outcome.problems.append(
                self.request.t("report.error.file_count", String(sent.count), String(Self.filesPerSave)))
            return outcome
        }
        for file in sent {
            let kind: EvidenceKind
            switch Self.check(file, request: self.request) {
            case .success(let checked): kind = checked
            case .failure(let refusal):
                outcome.problems.append(refusal.text)
                continue
            }
            let data = Data(buffer: file.data)
            let hash = try await self.request.reportDesk.keep(
                evidence: data, kind: kind, in: self.request.application.blobStore)
            outcome.accepted.append(
                .init(sha256: hash, fileName: EvidenceKind.safeName(file.filename, kind: kind), isPublic: isPublic))
        }
        return outcome
    }

    /// "sha|name|public|signature": an accepted file carried through a form that was sent back, or a file the
    /// reporting API took, cited by a later call.
    func pendingToken(_ item: ReportDesk.EvidenceItem) -> String {
        let message = "\(item.sha256)|\(item.fileName)|\(item.isPublic ? 1 : 0)"
        return message + "|" + (self.signature(message) ?? "")
    }

    /// The pending files a form or an API call carries, keeping only those signed for this session or key and stored
    /// here; their names go through the upload's sanitiser again.
    func pending(_ tokens: [String]) async throws -> [ReportDesk.EvidenceItem] {
        let signed: [(sha256: String, fileName: String, isPublic: Bool)] = tokens.compactMap { token in
            let parts = token.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let expected = self.signature(parts[0...2].joined(separator: "|")),
                SecureToken.constantTimeEquals(expected, parts[3])
            else { return nil }
            return (parts[0], parts[1], parts[2] == "1")
        }
        guard !signed.isEmpty else { return [] }
        let blobs = try await EvidenceBlob.query(on: self.request.db).filter(\.$id ~~ signed.map(\.sha256)).all()
        let kinds = Dictionary(blobs.map { ($0.id ?? "", $0.kind) }, uniquingKeysWith: { first, _ in first })
        return signed.compactMap { item in
            kinds[item.sha256].map {
                .init(
                    sha256: item.sha256, fileName: EvidenceKind.safeName(item.fileName, kind: $0),
                    isPublic: item.isPublic)
            }
        }
    }

    /// Keyed with the server's secret and bound to the session or the API key that uploaded the file, so that nobody
    /// can make a ticket for a file they only know the SHA-256 of. Nil without a session or a key.
    private func signature(_ message: String) -> String? {
        let holder: String
        if let token = self.request.apiToken, let id = token.id {
            holder = "key \(id)"
        } else if let session = self.request.sessionUser?.session, let id = session.id {
            holder = "session \(id)"
        } else {
            return nil
        }
        return self.request.application.sealingKey.keyedHash(holder + "|" + message, purpose: "evidence ticket")
    }
}
