import Foundation
import Vapor

/// What a person typed into a form whose sending failed for want of the database or the disk: the text fields of
/// the request's body, in order. The "temporarily unavailable" page gives them back in a form that sends them again
/// to the same address, so nothing typed is lost to an outage. Passwords and codes are left out; files cannot be
/// kept and must be chosen again, which the page says.
struct TypedInput: Encodable {
    struct Field: Encodable {
        let name: String
        let value: String
        /// Shown as a text area: the value has line breaks or is long.
        let multiline: Bool
    }

    /// The address the form was sent to (a path on this site).
    let action: String
    let multipart: Bool
    let csrf: String?
    let fields: [Field]
    /// Whether the form carried files, which are not given back.
    let hadFiles: Bool

    /// Fields never written back into a page.
    static let secretNames: Set<String> = ["password", "confirmation", "current", "sekarang", "code", "kode", "totp"]

    /// The typed input of a form sent with POST, or nil when the request carried none.
    init?(request: Request) {
        guard request.method == .POST, let body = request.body.data, body.readableBytes > 0 else { return nil }
        let path = request.url.path
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return nil }
        var pairs: [(name: String, value: String)]
        var hadFiles = false
        if let boundary = MultipartTextField.boundary(of: request.headers.contentType) {
            let bytes = Array(body.readableBytesView)
            pairs = MultipartTextField.textFields(in: bytes, boundary: boundary)
            hadFiles = Self.carriesFiles(bytes)
            self.multipart = true
        } else if request.headers.contentType == .urlEncodedForm {
            pairs = Self.urlEncodedFields(String(decoding: body.readableBytesView, as: UTF8.self))
            self.multipart = false
        } else {
            return nil
        }
        self.csrf = pairs.first { $0.name == CSRFProtection.fieldName }?.value
        pairs.removeAll { $0.name == CSRFProtection.fieldName || Self.secretNames.contains($0.name.lowercased()) }
        guard !pairs.isEmpty || hadFiles else { return nil }
        self.action = path
        self.fields = pairs.map {
            Field(name: $0.name, value: $0.value, multiline: $0.value.contains("\n") || $0.value.count > 80)
        }
        self.hadFiles = hadFiles
    }

    /// `name=value&...` with `+` for spaces and percent escapes, in order; repeated names stay repeated.
    static func urlEncodedFields(_ body: String) -> [(name: String, value: String)] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }

    /// Whether a multipart body has a file part with a file in it.
    private static func carriesFiles(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes.prefix(MultipartTextField.scannedBytes), as: UTF8.self)
        return text.components(separatedBy: "filename=\"").dropFirst().contains { !$0.hasPrefix("\"") }
    }
}
