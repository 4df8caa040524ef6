/// E-mail addresses as the portal handles them: the bare address inside a display form, and whether a text could be
/// one (enough to decide whether to write to it, and to keep line breaks and brackets out of mail headers).
public enum MailAddress {
    /// "Jaga <noreply@example.go.id>" → "noreply@example.go.id"; a bare address is returned trimmed.
    public static func bare(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace
        guard let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close else {
            return trimmed
        }
        return String(trimmed[trimmed.index(after: open)..<close]).trimmingWhitespace
    }

    /// One "@" between a non-empty local part and a domain with a dot (or `localhost`), no spaces, controls,
    /// brackets, quotes or commas, at most 254 characters.
    public static func isPlausible(_ address: String) -> Bool {
        guard address.count <= 254, address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }),
            !address.contains(where: { "<>()[]\\,;:\"".contains($0) })
        else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        let domain = parts[1]
        guard !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return false }
        return domain.contains(".") || domain == "localhost"
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
