import Foundation

/// Reads and writes the CSV of a verifikator's queue (`docs/REPORT_CSV.md`, "The verifikator's file"): one row per
/// line waiting for verification, downloaded under the queue's filters, decided row by row in a spreadsheet (accept
/// with a value, or return with a reason) and uploaded back. The same file rules as the instansi's lines file
/// (`ReportLinesFile`), whose problems it reports: UTF-8, comma or semicolon, decimal comma or point, every problem
/// with its line, and a file with any problem yields no rows.
public enum VerificationFile {
    public static let columns = [
        "id_baris", "aksi", "indikator", "uraian", "instansi", "triwulan", "satuan", "target", "capaian", "bukti",
        "versi", "keputusan", "nilai_terverifikasi", "catatan",
    ]
    public static let requiredColumns = ["id_baris", "versi", "keputusan", "nilai_terverifikasi", "catatan"]

    /// What a row decides. An empty `keputusan` leaves the line waiting.
    public enum Decision: String, Sendable, Equatable {
        case accept = "terima"
        case `return` = "kembalikan"

        /// The words a person may write: Indonesian, the English ones, any case.
        static func read(_ text: String) -> Decision?? {
            switch text.lowercased() {
            case "": .some(nil)
            case "terima", "accept": .accept
            case "kembalikan", "return": .return
            default: nil
            }
        }

        public var action: ReportAction { self == .accept ? .accept : .return }
    }

    /// One waiting line as it is downloaded.
    public struct Line: Equatable, Sendable {
        public var targetID: Int
        public var aksiNumber: Int
        public var indicatorCode: String
        public var description: String
        public var instansi: String
        /// The triwulan in the reader's words ("TW I 2021").
        public var triwulan: String
        public var unit: String
        public var target: Double
        public var capaian: Double?
        /// The evidence in the reader's words ("2 berkas, 1 tautan").
        public var evidence: String
        public var version: Int

        public init(
            targetID: Int, aksiNumber: Int, indicatorCode: String, description: String, instansi: String,
            triwulan: String, unit: String, target: Double, capaian: Double?, evidence: String, version: Int
        ) {
            self.targetID = targetID
            self.aksiNumber = aksiNumber
            self.indicatorCode = indicatorCode
            self.description = description
            self.instansi = instansi
            self.triwulan = triwulan
            self.unit = unit
            self.target = target
            self.capaian = capaian
            self.evidence = evidence
            self.version = version
        }
    }

    /// One decided row as it is uploaded.
    public struct Entry: Equatable, Sendable {
        /// The row's line in the file, for messages.
        public let line: Int
        public let targetID: Int
        public let version: Int
        public let decision: Decision
        /// The verified value written; nil when the column is empty, which for an acceptance means the claim.
        public let value: Double?
        public let note: String
    }

    // MARK: - Writing

    /// The file for `lines`, written for spreadsheets as `ReportLinesFile.write` writes: a byte order mark, commas,
    /// CRLF, decimal points, formula-like texts behind an apostrophe. The decision columns are empty.
    public static func write(_ lines: [Line]) -> String {
        var rows = [self.columns.joined(separator: ",")]
        for line in lines {
            let values = [
                String(line.targetID), String(line.aksiNumber), line.indicatorCode,
                SpreadsheetCell.neutralised(line.description), SpreadsheetCell.neutralised(line.instansi),
                line.triwulan, SpreadsheetCell.neutralised(line.unit), PlanFile.format(line.target),
                line.capaian.map(PlanFile.format) ?? "", line.evidence, String(line.version), "", "", "",
            ]
            rows.append(values.map(PlanFile.quote).joined(separator: ","))
        }
        return "\u{FEFF}" + rows.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: - Reading

    /// The decided rows that read well and the problems of the others; rows without a decision are passed over.
    public static func readRows(_ data: Data) -> (entries: [Entry], problems: [ReportLinesFile.Problem]) {
        let table: CSVTable
        do {
            table = try CSVTable.upload(
                data, maximumBytes: ReportLinesFile.maximumBytes, columns: self.columns,
                requiredColumns: self.requiredColumns)
        } catch {
            return ([], [ReportLinesFile.Problem(line: error.line, kind: .init(error))])
        }
        guard !table.rows.isEmpty else { return ([], [ReportLinesFile.Problem(line: 0, kind: .empty)]) }

        var entries: [Entry] = []
        var problems: [ReportLinesFile.Problem] = []
        var seen: Set<Int> = []
        for row in table.rows {
            let before = problems.count
            let identity = ReportLinesFile.identity(of: row, seen: &seen, problems: &problems)
            let decision = Decision.read(row["keputusan"])
            if decision == nil {
                problems.append(.init(line: row.line, kind: .unknownDecision(String(row["keputusan"].prefix(40)))))
            }
            var value: Double?
            let valueText = row["nilai_terverifikasi"]
            if !valueText.isEmpty {
                switch Quantity.read(valueText) {
                case .success(let read): value = read
                case .failure:
                    problems.append(.init(line: row.line, kind: .notAVerifiedValue(String(valueText.prefix(40)))))
                }
            }
            // A row without a decision leaves its line waiting.
            guard problems.count == before, case .some(.some(let decision)) = decision, let identity else { continue }
            entries.append(
                Entry(
                    line: row.line, targetID: identity.targetID, version: identity.version, decision: decision,
                    value: value,
                    note: SpreadsheetCell.restored(row["catatan"])))
        }
        return (entries, problems)
    }
}
