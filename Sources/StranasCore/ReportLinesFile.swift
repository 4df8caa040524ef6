import Foundation

/// Reads and writes the CSV of an instansi's open report lines of one triwulan (`docs/REPORT_CSV.md`): one row per
/// line, downloaded, filled in a spreadsheet and uploaded back.
///
/// The file carries each line's id and the version it was downloaded at, so that an upload changes exactly the lines
/// it names and never overwrites a save made since. Reading follows the plan file's rules (UTF-8 with or without a
/// byte order mark, comma or semicolon, decimal comma or point) and reports every problem with its line number; a
/// file with any problem yields no rows at all, so that an upload is all or nothing.
public enum ReportLinesFile {
    /// Every column, in the order written. Only `id_baris`, `versi` and the columns a person fills are needed to read
    /// a file back; the others describe the line and are not read.
    public static let columns = [
        "id_baris", "aksi", "indikator", "uraian", "satuan", "target", "status", "versi", "capaian", "narasi",
        "kendala", "tindak_lanjut", "tautan", "kirim",
    ]
    public static let requiredColumns = [
        "id_baris", "versi", "capaian", "narasi", "kendala", "tindak_lanjut", "tautan",
    ]
    public static let maximumBytes = PlanFile.maximumBytes

    /// One line as it is downloaded.
    public struct Line: Equatable, Sendable {
        public var targetID: Int
        public var aksiNumber: Int
        public var indicatorCode: String
        public var description: String
        public var unit: String
        public var target: Double
        /// The line's state in the reader's words: the file shows it, reading ignores it.
        public var state: String
        public var version: Int
        public var capaian: Double?
        public var narasi: String
        public var kendala: String
        public var tindakLanjut: String
        public var links: [String]

        public init(
            targetID: Int, aksiNumber: Int, indicatorCode: String, description: String, unit: String, target: Double,
            state: String, version: Int, capaian: Double?, narasi: String, kendala: String, tindakLanjut: String,
            links: [String]
        ) {
            self.targetID = targetID
            self.aksiNumber = aksiNumber
            self.indicatorCode = indicatorCode
            self.description = description
            self.unit = unit
            self.target = target
            self.state = state
            self.version = version
            self.capaian = capaian
            self.narasi = narasi
            self.kendala = kendala
            self.tindakLanjut = tindakLanjut
            self.links = links
        }
    }

    /// One row as it is uploaded: what the person wants the line to say, and whether to send it on.
    public struct Entry: Equatable, Sendable {
        /// The row's line in the file, for messages.
        public let line: Int
        public let targetID: Int
        /// The line's version when the file was downloaded.
        public let version: Int
        public let capaian: Double?
        public let narasi: String
        public let kendala: String
        public let tindakLanjut: String
        public let links: [String]
        /// `kirim` = `ya`: send the line on after saving it (to the instansi's review, or back to Setnas once
        /// returned).
        public let send: Bool
    }

    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public enum Kind: Equatable, Sendable, CSVUploadProblemKind {
            case tooLarge(bytes: Int)
            case notUTF8
            case empty
            case unterminatedQuote
            case missingColumns([String])
            case unknownColumns([String])
            case missingValue(column: String)
            case notAWholeNumber(column: String, value: String)
            case notACapaian(String)
            case duplicateLine(Int)
            case unknownSendValue(String)
            /// The verifikator's file (`VerificationFile`): a `keputusan` that is neither terima nor kembalikan.
            case unknownDecision(String)
            /// The verifikator's file: a `nilai_terverifikasi` that is not a number of zero or more.
            case notAVerifiedValue(String)
        }

        public let line: Int
        public let kind: Kind

        public init(line: Int, kind: Kind) {
            self.line = line
            self.kind = kind
        }

        /// An English description, for logs and tests; the web pages use the locale catalog.
        public var description: String {
            let text: String =
                switch self.kind {
                case .tooLarge(let bytes): "the file has \(bytes) bytes; at most \(ReportLinesFile.maximumBytes)"
                case .notUTF8: "the file is not UTF-8 text; save it as CSV UTF-8"
                case .empty: "the file has no lines"
                case .unterminatedQuote: "a quoted field is not closed"
                case .missingColumns(let names): "missing columns: \(names.joined(separator: ", "))"
                case .unknownColumns(let names): "unknown columns: \(names.joined(separator: ", "))"
                case .missingValue(let column): "\(column) is empty"
                case .notAWholeNumber(let column, let value): "\(column) \"\(value)\" is not a whole number"
                case .notACapaian(let value): "capaian \"\(value)\" is not a number of zero or more"
                case .duplicateLine(let id): "id_baris \(id) appears more than once"
                case .unknownSendValue(let value): "kirim \"\(value)\" is not ya or empty"
                case .unknownDecision(let value): "keputusan \"\(value)\" is not terima, kembalikan or empty"
                case .notAVerifiedValue(let value): "nilai_terverifikasi \"\(value)\" is not a number of zero or more"
                }
            return self.line > 0 ? "line \(self.line): \(text)" : text
        }
    }

    public struct Rejection: Error, Equatable, Sendable {
        public let problems: [Problem]
    }

    // MARK: - Writing

    /// The file for `lines`: UTF-8 with a byte order mark (so that spreadsheets read it as UTF-8), comma-separated,
    /// CRLF line ends as RFC 4180 writes them, numbers with a decimal point, several links on separate lines of one
    /// cell. Text that a spreadsheet would take for a formula is written behind an apostrophe, which reading removes.
    public static func write(_ lines: [Line]) -> String {
        var rows = [self.columns.joined(separator: ",")]
        for line in lines {
            let values = [
                String(line.targetID), String(line.aksiNumber), line.indicatorCode, self.cell(line.description),
                self.cell(line.unit), PlanFile.format(line.target), self.cell(line.state), String(line.version),
                line.capaian.map(PlanFile.format) ?? "", self.cell(line.narasi), self.cell(line.kendala),
                self.cell(line.tindakLanjut), self.cell(line.links.joined(separator: "\n")), "",
            ]
            rows.append(values.map(PlanFile.quote).joined(separator: ","))
        }
        return "\u{FEFF}" + rows.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ text: String) -> String { SpreadsheetCell.neutralised(text) }

    static func uncell(_ text: String) -> String { SpreadsheetCell.restored(text) }

    // MARK: - Reading

    public static func read(_ data: Data) -> Result<[Entry], Rejection> {
        let (entries, problems) = self.readRows(data)
        return problems.isEmpty ? .success(entries) : .failure(Rejection(problems: problems))
    }

    /// The rows that read well, and the problems of the others (or of the whole file, which then gives no rows): for
    /// an upload that checks the good rows further before refusing the file, so that it names every problem at once.
    public static func readRows(_ data: Data) -> (entries: [Entry], problems: [Problem]) {
        let table: CSVTable
        do {
            table = try CSVTable.upload(
                data, maximumBytes: self.maximumBytes, columns: self.columns, requiredColumns: self.requiredColumns)
        } catch {
            return ([], [Problem(line: error.line, kind: Problem.Kind(error))])
        }
        guard !table.rows.isEmpty else { return ([], [Problem(line: 0, kind: .empty)]) }

        var entries: [Entry] = []
        var problems: [Problem] = []
        var seen: Set<Int> = []
        for row in table.rows {
            let before = problems.count
            func problem(_ kind: Problem.Kind) { problems.append(Problem(line: row.line, kind: kind)) }
            let identity = self.identity(of: row, seen: &seen, problems: &problems)
            var capaian: Double?
            let capaianText = row["capaian"]
            if !capaianText.isEmpty {
                switch Quantity.read(capaianText) {
                case .success(let value): capaian = value
                case .failure: problem(.notACapaian(String(capaianText.prefix(40))))
                }
            }
            let narasi = self.uncell(row["narasi"])
            let kendala = self.uncell(row["kendala"])
            let tindakLanjut = self.uncell(row["tindak_lanjut"])
            let links = ReportContentRules.links(in: self.uncell(row["tautan"]))
            let send: Bool
            switch row["kirim"].lowercased() {
            case "", "tidak", "no": send = false
            case "ya", "yes": send = true
            default:
                problem(.unknownSendValue(String(row["kirim"].prefix(40))))
                send = false
            }
            guard problems.count == before, let identity else { continue }
            entries.append(
                Entry(
                    line: row.line, targetID: identity.targetID, version: identity.version, capaian: capaian,
                    narasi: narasi,
                    kendala: kendala, tindakLanjut: tindakLanjut, links: links, send: send))
        }
        return (entries, problems)
    }

    /// The line a row names and the version it was downloaded at (`id_baris`, `versi`), or nil with the problems
    /// added; an id already `seen` in the file is a problem too. Both files of report lines read rows this way.
    static func identity(
        of row: CSVTable.Row, seen: inout Set<Int>, problems: inout [Problem]
    ) -> (targetID: Int, version: Int)? {
        func wholeNumber(_ column: String) -> Int? {
            let value = row[column]
            if value.isEmpty {
                problems.append(Problem(line: row.line, kind: .missingValue(column: column)))
                return nil
            }
            guard let number = Int(value), number >= 0 else {
                problems.append(
                    Problem(line: row.line, kind: .notAWholeNumber(column: column, value: String(value.prefix(40)))))
                return nil
            }
            return number
        }
        let targetID = wholeNumber("id_baris")
        let version = wholeNumber("versi")
        if let targetID, !seen.insert(targetID).inserted {
            problems.append(Problem(line: row.line, kind: .duplicateLine(targetID)))
            return nil
        }
        guard let targetID, let version else { return nil }
        return (targetID, version)
    }

    /// Whether an uploaded text says the same as a stored one: a spreadsheet may change line ends inside a cell and
    /// drops spaces at the ends, which is no change of the person's words.
    public static func sameText(_ uploaded: String, _ stored: String) -> Bool {
        func normal(_ text: String) -> String {
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return normal(uploaded) == normal(stored)
    }
}
