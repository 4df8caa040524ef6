import Fluent
import StranasCore
import Vapor

/// `/bukti/{sha256}?baris={target}`: one evidence file of one report line. The public gets a file that the line's
/// instansi marked public once the line is accepted; everyone else needs to be allowed to read the line. Files are
/// served from the blob store by hash, as attachments with a sanitised name, or, for the line's own page, shown in
/// place when a browser can show them (`tampil=1`: PDF and images).
struct EvidenceController: RouteCollection {
    /// A download under its own name (plain ASCII, with the UTF-8 name beside it), never shown inline.
    static func attachmentDisposition(fileName name: String) -> String {
        let asciiName = String(
            name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" }
        )
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? asciiName
        return "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)"
    }

    static func url(sha256: String, targetID: Int) -> String {
        SiteURL.evidence(sha256, query: [("baris", String(targetID))])
    }

    /// The kinds a browser shows itself, which the line page opens in place.
    static let shownInline: Set<EvidenceKind> = [.pdf, .png, .jpeg, .webp]

    /// The file to be shown in the line's page (an image, or a PDF in a frame), not downloaded: only for the kinds
    /// a browser shows itself.
    static func inlineURL(sha256: String, targetID: Int, kind: EvidenceKind) -> String? {
        guard Self.shownInline.contains(kind) else { return nil }
        return SiteURL.evidence(sha256, query: [("baris", String(targetID)), ("tampil", "1")])
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.evidence, use: self.download)
    }

    @Sendable func download(request: Request) async throws -> Response {
        guard let hash = request.parameters.get("sha256"), hash.count == 64, hash.allSatisfy(\.isHexDigit),
            let targetID = try? request.query.get(Int.self, at: "baris")
        else { throw PageError.notFound("error.evidence_not_found") }
        let desk = request.reportDesk
        let subject = try await desk.subject(targetID: targetID)
        guard let line = subject.line, let lineID = line.id else {
            throw PageError.notFound("error.evidence_not_found")
        }
        let mayRead = try await desk.canRead(subject)
        // A reader of the line may fetch any file any of its versions cited; the public, the current public ones of
        // an accepted line.
        let cited = try await ReportEvidence.query(on: request.db)
            .join(ReportVersion.self, on: \ReportEvidence.$version.$id == \ReportVersion.$id)
            .filter(ReportVersion.self, \.$line.$id == lineID)
            .filter(\.$blob.$id == hash)
            .sort(ReportVersion.self, \.$number, .descending)
            .with(\.$blob)
            .all()
        let current = try await desk.currentEvidence(line).first { $0.$blob.id == hash }
        let allowed: ReportEvidence?
        if mayRead {
            allowed = cited.first
        } else if line.state == .accepted, let current, current.isPublic {
            allowed = current
        } else {
            allowed = nil
        }
        guard let evidence = allowed else { throw PageError.notFound("error.evidence_not_found") }
        let data: Data
        do {
            guard let stored = try request.application.blobStore.read(hash) else {
                request.logger.error("Evidence file \(hash) is cited but missing from blobs/: run `jaga blobs verify`.")
                throw PageError.notFound("error.evidence_not_found")
            }
            data = stored
        } catch let damaged as BlobStore.Damaged {
            // Never served as evidence: its bytes are not what was reported.
            request.logger.error("\(damaged); restore it from a backup (`jaga blobs verify`).")
            throw PageError(status: .internalServerError, messageKey: "error.evidence_damaged", arguments: [])
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: evidence.blob.kind.contentType)
        let inline =
            (try? request.query.get(String.self, at: "tampil")) == "1"
            && Self.shownInline.contains(evidence.blob.kind)
        if inline {
            // Shown in a frame or an image of the portal's own line page, and nowhere else. An image keeps the
            // sandbox; a PDF cannot have it, because a sandboxed document gets no PDF viewer: it may run no script of
            // ours and load nothing (`default-src 'none'`), and the viewer keeps its own scripts apart from the
            // portal's origin.
            response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value: "default-src 'none'; frame-ancestors 'self'" + (evidence.blob.kind == .pdf ? "" : "; sandbox"))
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "SAMEORIGIN")
        } else {
            response.headers.replaceOrAdd(
                name: .contentDisposition, value: Self.attachmentDisposition(fileName: evidence.fileName))
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        }
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(hash)\"")
        // A public file of an accepted line may sit in any cache; everything else a reader of the line fetches is for
        // them alone, and no proxy or shared browser cache may keep it.
        if !mayRead || line.state == .accepted && current?.isPublic == true {
            response.headers.cacheControl = .init(isPublic: true, maxAge: 3600)
        } else {
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        }
        return response
    }
}
