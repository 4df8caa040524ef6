import Vapor

/// A form body larger than its route takes, as far as it is kept: its first and last bytes, the rest drained unread.
/// Forms put their text before and after the file inputs, so these hold what the person typed; the route sends the
/// form back with it and the limit named, instead of a bare 413 that throws the text away.
struct OversizedForm: Sendable {
    static let keptHead = MultipartTextField.scannedBytes
    static let keptTail = 64 * 1024

    let head: ByteBuffer
    let tail: [UInt8]
    /// The body's declared size.
    let size: Int

    /// The text fields found in the kept bytes, first one of each name.
    func text(_ name: String, boundary: String) -> String? {
        let fields =
            MultipartTextField.textFields(in: Array(self.head.readableBytesView), boundary: boundary)
            + MultipartTextField.textFields(in: self.tail, boundary: boundary)
        return fields.first { $0.name == name }?.value
    }

    /// Reads the body to its end, keeping the head and the tail.
    static func drain(_ request: Request, size: Int) async throws -> OversizedForm {
        var head = ByteBuffer()
        var tail: [UInt8] = []
        for try await var chunk in request.body {
            if head.readableBytes < self.keptHead {
                var slice = chunk.readSlice(length: min(chunk.readableBytes, self.keptHead - head.readableBytes))!
                head.writeBuffer(&slice)
            }
            tail.append(contentsOf: chunk.readableBytesView)
            if tail.count > self.keptTail { tail.removeFirst(tail.count - self.keptTail) }
        }
        return OversizedForm(head: head, tail: tail, size: size)
    }

    struct Key: StorageKey {
        typealias Value = OversizedForm
    }
}

extension Request {
    /// Set when the body was too large for the route and the route keeps the text of such forms.
    var oversizedForm: OversizedForm? { self.storage[OversizedForm.Key.self] }

    /// A text field of the form, whether the body was read or too large to be.
    func formText(_ name: String) -> String? {
        if let oversized = self.oversizedForm {
            return MultipartTextField.boundary(of: self.headers.contentType).flatMap {
                oversized.text(name, boundary: $0)
            }
        }
        return try? self.content.get(String.self, at: name)
    }
}

extension Route {
    static let keepsTextKey = "jaga.keepsTextOfOversizedForms"

    /// Whether the route sends an oversized form back with its text (`Request.oversizedForm`).
    var keepsTextOfOversizedForms: Bool { self.userInfo[Route.keepsTextKey] as? Bool ?? false }

    /// Declares that the route's handler answers an oversized form itself, with the text kept.
    @discardableResult
    func keepingTextOfOversizedForms() -> Route {
        self.userInfo[Route.keepsTextKey] = true
        return self
    }
}
