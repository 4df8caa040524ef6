/// The one rule against formulas in the CSV files the portal writes (OWASP "CSV injection"): a text cell that a
/// spreadsheet would run as a formula is written behind an apostrophe, which spreadsheets show as plain text and
/// which the portal's own readers remove again. Numbers, negative ones included, are left as they are.
public enum SpreadsheetCell {
    /// Characters with which a spreadsheet starts a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `text` as it may be written into a cell.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.first, self.formulaStarts.contains(first), Quantity.decimal(text) == nil else {
            return text
        }
        return "'" + text
    }

    /// A cell read back: the apostrophe `neutralised` added is removed.
    public static func restored(_ text: String) -> String {
        guard text.first == "'", text.count > 1, self.formulaStarts.contains(text[text.index(after: text.startIndex)])
        else { return text }
        return String(text.dropFirst())
    }
}
