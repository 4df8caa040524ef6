/// The little Markdown the API document's prose uses, as HTML: paragraphs at blank lines, `code` and **strong**;
/// everything else is text, escaped. The document stays the one source of the API's description.
enum InlineMarkdown {
    static func html(_ markdown: String) -> String {
        markdown.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { "<p>" + self.inline($0) + "</p>" }
            .joined()
    }

    /// One paragraph's text with its code spans and strong runs; a marker without its partner stays as written.
    static func inline(_ text: String) -> String {
        var html = ""
        var rest = Substring(text)
        while let marker = rest.firstIndex(where: { $0 == "`" || $0 == "*" }) {
            html += LineChart.escape(String(rest[..<marker]))
            let afterMarker = rest[marker...]
            if afterMarker.hasPrefix("`"), let end = afterMarker.dropFirst().firstIndex(of: "`") {
                html +=
                    "<code>" + LineChart.escape(String(afterMarker[afterMarker.index(after: marker)..<end]))
                    + "</code>"
                rest = afterMarker[afterMarker.index(after: end)...]
            } else if afterMarker.hasPrefix("**"), let end = afterMarker.dropFirst(2).range(of: "**") {
                html += "<strong>" + LineChart.escape(String(afterMarker.dropFirst(2)[..<end.lowerBound])) + "</strong>"
                rest = afterMarker[end.upperBound...]
            } else {
                html += LineChart.escape(String(afterMarker.prefix(1)))
                rest = afterMarker.dropFirst()
            }
        }
        return html + LineChart.escape(String(rest))
    }
}
