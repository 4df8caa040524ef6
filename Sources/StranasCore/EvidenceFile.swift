import Foundation

/// The kinds of evidence file (bukti dukung) the portal accepts, recognised by their content, never by their name.
public enum EvidenceKind: String, Sendable, CaseIterable, Codable {
    case pdf, png, jpeg, webp, xlsx, docx, csv

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .csv: "text/csv; charset=utf-8"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : self.rawValue }

    /// What a file's bytes are, or nil when they are none of the accepted kinds (an executable renamed `.pdf` is nil).
    public static func detect(_ data: Data, fileName: String) -> EvidenceKind? {
        let bytes = [UInt8](data.prefix(16))
        func starts(_ prefix: [UInt8]) -> Bool {
            bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("RIFF".utf8)) && bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // Office files are ZIP archives; the names of their parts are stored as plain text in the archive.
            let names = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
            guard names.contains("[Content_Types].xml") else { return nil }
            if names.contains("xl/") { return .xlsx }
            if names.contains("word/") { return .docx }
            return nil
        }
        // CSV has no signature: a `.csv` name, UTF-8 text, no control bytes but tab and line ends.
        if fileName.lowercased().hasSuffix(".csv"), let text = String(data: data, encoding: .utf8),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 && ![0x09, 0x0A, 0x0D].contains($0.value) })
        {
            return .csv
        }
        return nil
    }

    /// A file name safe to show and to offer in a download: no path, no control or quote characters, at most 120
    /// characters, with the extension of what the file really is.
    public static func safeName(_ fileName: String, kind: EvidenceKind) -> String {
        let base = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var stem = base.contains(".") ? String(base[..<base.lastIndex(of: ".")!]) : base
        stem = String(
            stem.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0 != ";" && $0.value != 0x7F }
                .map(Character.init))
        stem = stem.trimmingCharacters(in: .whitespaces)
        if stem.isEmpty { stem = "bukti" }
        return String(stem.prefix(120)) + "." + kind.fileExtension
    }
}
