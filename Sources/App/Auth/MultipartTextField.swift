import Vapor

/// Reads one text field of a multipart body from its raw bytes, without decoding the parts around it: what the CSRF
/// check needs from a form that carries files. Decoding a whole multipart body (every file copied, part by part) costs
/// seconds of CPU for tens of megabytes; reading the form's first text parts costs microseconds.
///
/// Only the text parts before the first file are read, and only within the first `scannedBytes`: the portal's forms
/// put `_csrf` first, and a body that hides its token behind a file is refused rather than decoded.
enum MultipartTextField {
    static let scannedBytes = 256 * 1024

    /// The value of the text field `name`, or nil when it is not among the text parts before the first file.
    static func value(named name: String, in body: ByteBuffer, boundary: String) -> String? {
        let bytes = Array(body.readableBytesView.prefix(self.scannedBytes))
        let delimiter = Array("--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        guard var cursor = self.find(delimiter, in: bytes, from: 0) else { return nil }
        while true {
            let headersStart = cursor + delimiter.count
            // "--boundary--" ends the body.
            if headersStart + 1 < bytes.count, bytes[headersStart] == UInt8(ascii: "-"),
                bytes[headersStart + 1] == UInt8(ascii: "-")
            {
                return nil
            }
            guard let headersEnd = self.find(headerEnd, in: bytes, from: headersStart) else { return nil }
            let headers = String(decoding: bytes[headersStart..<headersEnd], as: UTF8.self).lowercased()
            // A file part: the token was not before it.
            if headers.contains("filename=") { return nil }
            let valueStart = headersEnd + headerEnd.count
            guard let next = self.find(Array("\r\n".utf8) + delimiter, in: bytes, from: valueStart) else { return nil }
            if headers.contains("name=\"\(name.lowercased())\"") {
                return String(decoding: bytes[valueStart..<next], as: UTF8.self)
            }
            cursor = next + 2
        }
    }

    /// Every complete text part in `bytes` (which may start or end in the middle of a part, such as the kept head and
    /// tail of a body too large to read), with its name, in order; file parts are passed over.
    static func textFields(in bytes: [UInt8], boundary: String) -> [(name: String, value: String)] {
        let delimiter = Array("--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        var fields: [(name: String, value: String)] = []
        var cursor = self.find(delimiter, in: bytes, from: 0)
        while let start = cursor {
            let headersStart = start + delimiter.count
            guard let headersEnd = self.find(headerEnd, in: bytes, from: headersStart),
                let next = self.find(Array("\r\n".utf8) + delimiter, in: bytes, from: headersEnd + headerEnd.count)
            else { break }
            let headers = String(decoding: bytes[headersStart..<headersEnd], as: UTF8.self)
            if !headers.lowercased().contains("filename="), let name = self.name(in: headers) {
                fields.append((name, String(decoding: bytes[(headersEnd + headerEnd.count)..<next], as: UTF8.self)))
            }
            cursor = next + 2
        }
        return fields
    }

    /// The `name` of a part's Content-Disposition.
    private static func name(in headers: String) -> String? {
        guard let range = headers.range(of: "name=\"") else { return nil }
        let rest = headers[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(of contentType: HTTPMediaType?) -> String? {
        guard let contentType, contentType.type == "multipart", contentType.subType == "form-data" else { return nil }
        return contentType.parameters["boundary"].flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
