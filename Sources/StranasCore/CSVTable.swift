import Foundation

/// A parsed CSV file: a header row and data rows, read by column name.
///
/// Reads RFC 4180 files as spreadsheets write them: quoted fields with doubled quotes and line breaks inside,
/// CRLF or LF line ends, an optional UTF-8 byte order mark, and a comma or semicolon separator (Indonesian-locale
/// spreadsheets write semicolons), chosen from the header line.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        /// 1-based line number of the row's first line in the file, for error messages.
        public let line: Int
        let fields: [String]
        let columns: [String: Int]

        /// The trimmed value of a column, or "" when the column or the field is missing.
        public subscript(column: String) -> String {
            guard let index = self.columns[column], index < self.fields.count else { return "" }
            return self.fields[index].trimmingCharacters(in: .whitespaces)
        }
    }

    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case unterminatedQuote(line: Int)
        case missingColumns([String])
    }

    public let header: [String]
    public let rows: [Row]

    public init(text: String, requiredColumns: [String] = []) throws(ParseError) {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character =
            firstLine.filter({ $0 == ";" }).count > firstLine.filter({ $0 == "," }).count ? ";" : ","

        let records = try CSVTable.records(in: body, separator: separator)
        guard let headerRecord = records.first else { throw .empty }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else { throw .missingColumns(missing) }

        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() where columns[name] == nil { columns[name] = index }
        self.header = header
        self.rows = records.dropFirst()
            .filter { !($0.fields.count == 1 && $0.fields[0].trimmingCharacters(in: .whitespaces).isEmpty) }
            .map { Row(line: $0.line, fields: $0.fields, columns: columns) }
    }

    private static func records(
        in text: Substring, separator: Character
    ) throws(ParseError) -> [(
        line: Int, fields: [String]
    )] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var index = text.startIndex

        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if inQuotes {
                if character == "\"" {
                    if index < text.endIndex && text[index] == "\"" {
                        field.append("\"")
                        index = text.index(after: index)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                inQuotes = true
            } else if character == separator {
                fields.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            } else {
                field.append(character)
            }
        }
        if inQuotes { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}

extension CSVTable {
    /// What makes an uploaded file unreadable as a whole, before its rows are looked at. Each file format reports
    /// these among its own problems.
    public enum UploadProblem: Error, Equatable, Sendable {
        case tooLarge(bytes: Int)
        case notUTF8
        case empty
        case unterminatedQuote(line: Int)
        case missingColumns([String])
        case unknownColumns([String])

        /// The file's line the problem is at: the header's for columns, 0 for the file as a whole.
        public var line: Int {
            switch self {
            case .tooLarge, .notUTF8, .empty: 0
            case .unterminatedQuote(let line): line
            case .missingColumns, .unknownColumns: 1
            }
        }
    }

    /// Reads an uploaded file as the portal takes CSV files: at most `maximumBytes`, UTF-8 (with or without a byte
    /// order mark), with every one of `requiredColumns` and no column outside `columns` (a misspelt column is
    /// refused, not ignored).
    public static func upload(
        _ data: Data, maximumBytes: Int, columns: [String], requiredColumns: [String]
    ) throws(UploadProblem) -> CSVTable {
        guard data.count <= maximumBytes else { throw .tooLarge(bytes: data.count) }
        guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8 }
        let table: CSVTable
        do {
            table = try CSVTable(text: text, requiredColumns: requiredColumns)
        } catch {
            switch error {
            case .empty: throw .empty
            case .unterminatedQuote(let line): throw .unterminatedQuote(line: line)
            case .missingColumns(let names): throw .missingColumns(names)
            }
        }
        let unknown = table.header.filter { !columns.contains($0) && !$0.isEmpty }
        if !unknown.isEmpty { throw .unknownColumns(unknown) }
        return table
    }
}

/// The problem kinds of a CSV file format, which include those of opening an uploaded file: a format's own enum
/// has these cases, and takes `CSVTable.upload`'s refusal as one of them.
public protocol CSVUploadProblemKind {
    static func tooLarge(bytes: Int) -> Self
    static var notUTF8: Self { get }
    static var empty: Self { get }
    static var unterminatedQuote: Self { get }
    static func missingColumns(_ names: [String]) -> Self
    static func unknownColumns(_ names: [String]) -> Self
}

extension CSVUploadProblemKind {
    public init(_ problem: CSVTable.UploadProblem) {
        switch problem {
        case .tooLarge(let bytes): self = .tooLarge(bytes: bytes)
        case .notUTF8: self = .notUTF8
        case .empty: self = .empty
        case .unterminatedQuote: self = .unterminatedQuote
        case .missingColumns(let names): self = .missingColumns(names)
        case .unknownColumns(let names): self = .unknownColumns(names)
        }
    }
}
