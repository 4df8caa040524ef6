import Foundation
import StranasCore

/// Writes an outbox message as an Internet message (RFC 5322 with MIME): UTF-8 subject in an encoded word, the plain
/// text and, when there is one, the HTML as alternatives, each in base64 so that no line is too long and no
/// character is lost on the way.
enum MailComposer {
    static func compose(
        from sender: String, to recipient: String, subject: String, text: String, html: String?, date: Date,
        messageID: String
    ) -> String {
        var headers = [
            "From: \(Self.headerSafe(sender))",
            "To: \(Self.headerSafe(recipient))",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)@\(Self.domain(of: sender))>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        guard let html else {
            headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"]
            return (headers + ["", Self.base64Lines(text)]).joined(separator: "\r\n")
        }
        let boundary = "jaga-" + UUID().uuidString
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        let parts = [("text/plain", text), ("text/html", html)].map { type, content in
            [
                "--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", "",
                Self.base64Lines(content),
            ].joined(separator: "\r\n")
        }
        return (headers + [""] + parts + ["--\(boundary)--", ""]).joined(separator: "\r\n")
    }

    /// No line break may reach a header.
    static func headerSafe(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// ASCII subjects as they are; anything else as one UTF-8 base64 encoded word (RFC 2047).
    static func encodedWord(_ text: String) -> String {
        let safe = Self.headerSafe(text)
        if safe.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) { return safe }
        return "=?UTF-8?B?" + Data(safe.utf8).base64EncodedString() + "?="
    }

    static func base64Lines(_ text: String) -> String {
        let encoded = Data(
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
                .utf8
        ).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = AppClock.reportingTimeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    private static func domain(of sender: String) -> String {
        let address = MailAddress.bare(sender)
        return address.split(separator: "@").last.map(String.init) ?? "jaga.invalid"
    }
}
