import Foundation

/// Reads and writes the plan CSV described in `docs/PLAN_CSV.md`: one row per fokus, aksi, output, indikator,
/// pelaksana and target, told apart by the `jenis` column.
///
/// Reading checks the whole file and reports every problem with its line number; a file with any problem yields no
/// document at all, so that an import is all or nothing. Writing gives the canonical file: the same plan always
/// gives the same bytes.
public enum PlanFile {
    public static let columns = [
        "jenis", "kode", "induk", "uraian", "satuan", "tipe", "bobot", "target_akhir", "instansi", "peran",
        "triwulan", "nilai", "keterangan", "kepastian", "pendahulu",
    ]
    /// Columns a file may leave out: files written before they existed still read.
    public static let optionalColumns: Set<String> = ["pendahulu"]
    /// Larger files are refused before they are read: a whole national plan is well under 10 MB.
    public static let maximumBytes = 10 * 1024 * 1024
    public static let triwulanCount = ReportingCalendar.triwulanPerCycle

    /// One thing wrong with a file. `line` is 0 for problems with the file as a whole.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public enum Kind: Equatable, Sendable, CSVUploadProblemKind {
            case tooLarge(bytes: Int)
            case notUTF8
            case empty
            case unterminatedQuote
            case missingColumns([String])
            case unknownColumns([String])
            case unknownRecordKind(String)
            case missingValue(column: String)
            case notANumber(column: String, value: String)
            case notAWholeNumber(column: String, value: String)
            case outOfRange(column: String, value: String)
            case numberTooLarge(column: String, value: String)
            /// Longer than `PlanItemRules` allows the editor too.
            case tooLong(column: String, limit: Int)
            case unknownIndicatorKind(String)
            case unknownRole(String)
            case duplicateCode(String)
            case duplicateRow(String)
            case unknownParent(kind: String, code: String)
            case codeDoesNotMatchParent(code: String, parent: String)
            case unknownInstansi(String)
            case inactiveInstansi(String)
            case unknownPredecessor(String)
        }

        public let line: Int
        public let kind: Kind

        public init(line: Int, kind: Kind) {
            self.line = line
            self.kind = kind
        }

        /// An English description, for logs and the command line; the web pages use the locale catalog.
        public var description: String {
            let text: String =
                switch self.kind {
                case .tooLarge(let bytes): "the file has \(bytes) bytes; at most \(PlanFile.maximumBytes) are accepted"
                case .notUTF8: "the file is not UTF-8 text; save it as CSV UTF-8"
                case .empty: "the file is empty"
                case .unterminatedQuote: "a quoted field is not closed"
                case .missingColumns(let names): "missing columns: \(names.joined(separator: ", "))"
                case .unknownColumns(let names): "unknown columns: \(names.joined(separator: ", "))"
                case .unknownRecordKind(let kind):
                    "jenis \"\(kind)\" is not one of fokus, aksi, output, indikator, pelaksana, target"
                case .missingValue(let column): "\(column) is empty"
                case .notANumber(let column, let value): "\(column) \"\(value)\" is not a number"
                case .notAWholeNumber(let column, let value): "\(column) \"\(value)\" is not a whole number"
                case .outOfRange(let column, let value): "\(column) \"\(value)\" is out of range"
                case .numberTooLarge(let column, let value): "\(column) \"\(value)\" is above \(Quantity.maximum)"
                case .tooLong(let column, let limit): "\(column) is longer than \(limit) characters"
                case .unknownIndicatorKind(let kind): "tipe \"\(kind)\" is not milestone, kumulatif or persen"
                case .unknownRole(let role): "peran \"\(role)\" is not koordinator or pelaksana"
                case .duplicateCode(let code): "code \(code) appears more than once"
                case .duplicateRow(let what): "\(what) appears more than once"
                case .unknownParent(let kind, let code): "induk \(code) is not a \(kind) of this file"
                case .codeDoesNotMatchParent(let code, let parent): "code \(code) does not belong under \(parent)"
                case .unknownInstansi(let name): "instansi \"\(name)\" is not known"
                case .inactiveInstansi(let name): "instansi \"\(name)\" is no longer active"
                case .unknownPredecessor(let code): "pendahulu \(code) is not an indikator of the previous cycle"
                }
            return self.line > 0 ? "line \(self.line): \(text)" : text
        }
    }

    /// Why a file was refused: every problem found, in line order.
    public struct Rejection: Error, Equatable, Sendable {
        public let problems: [Problem]
    }

    // MARK: - Reading

    /// Reads a file's bytes. `knownInstansi` holds every instansi name and abbreviation that may be used;
    /// `inactiveInstansi` those of instansi that ended (named, but refused); `previousIndicators` the indicator codes
    /// of the previous cycle, which `pendahulu` may name.
    public static func read(
        _ data: Data, knownInstansi: Set<String>, inactiveInstansi: Set<String> = [],
        previousIndicators: Set<String> = []
    ) -> Result<PlanDocument, Rejection> {
        let table: CSVTable
        do {
            table = try CSVTable.upload(
                data, maximumBytes: self.maximumBytes, columns: self.columns,
                requiredColumns: self.columns.filter { !self.optionalColumns.contains($0) })
        } catch {
            return .failure(Rejection(problems: [Problem(line: error.line, kind: Problem.Kind(error))]))
        }
        var reader = Reader(
            knownInstansi: knownInstansi, inactiveInstansi: inactiveInstansi, previousIndicators: previousIndicators)
        for row in table.rows { reader.read(row) }
        reader.checkReferences()
        if table.rows.isEmpty { reader.problems.append(Problem(line: 0, kind: .empty)) }
        return reader.problems.isEmpty
            ? .success(reader.document.canonical) : .failure(Rejection(problems: reader.problems))
    }

    private struct Reader {
        let knownInstansi: Set<String>
        let inactiveInstansi: Set<String>
        let previousIndicators: Set<String>
        var document = PlanDocument()
        var problems: [Problem] = []
        var lines: [String: Int] = [:]
        var seenAssignments: Set<PlanDocument.Assignment> = []
        var seenTargets: Set<String> = []

        init(knownInstansi: Set<String>, inactiveInstansi: Set<String>, previousIndicators: Set<String>) {
            self.knownInstansi = knownInstansi
            self.inactiveInstansi = inactiveInstansi
            self.previousIndicators = previousIndicators
        }

        mutating func read(_ row: CSVTable.Row) {
            func problem(_ kind: Problem.Kind) { self.problems.append(Problem(line: row.line, kind: kind)) }
            func required(_ column: String) -> String? {
                let value = row[column]
                if value.isEmpty { problem(.missingValue(column: column)) }
                return value.isEmpty ? nil : value
            }
            func quantity(_ text: String, column: String, positive: Bool = false) -> Double? {
                switch Quantity.read(text, positive: positive) {
                case .success(let value): return value
                case .failure(.notANumber): problem(.notANumber(column: column, value: text))
                case .failure(.outOfRange): problem(.outOfRange(column: column, value: text))
                case .failure(.tooLarge): problem(.numberTooLarge(column: column, value: String(text.prefix(40))))
                }
                return nil
            }
            func claim(_ code: String, as kind: String) -> Bool {
                let key = kind + " " + code
                if self.lines[key] != nil {
                    problem(.duplicateCode(code))
                    return false
                }
                self.lines[key] = row.line
                return true
            }
            func instansi() -> String? {
                guard let name = required("instansi") else { return nil }
                if self.inactiveInstansi.contains(name) {
                    problem(.inactiveInstansi(name))
                } else if !self.knownInstansi.contains(name) {
                    problem(.unknownInstansi(name))
                }
                return name
            }
            let optional: (String) -> String? = { row[$0].isEmpty ? nil : row[$0] }
            /// A title or unit as the editor would take it; a longer one is named, and the row still counts.
            func bounded(_ column: String, limit: Int) -> String? {
                guard let value = required(column) else { return nil }
                if value.count > limit { problem(.tooLong(column: column, limit: limit)) }
                return value
            }
            func uraian() -> String? { bounded("uraian", limit: PlanItemRules.maximumTitleLength) }

            switch row["jenis"].lowercased() {
            case "fokus":
                guard let code = required("kode"), let name = uraian(), claim(code, as: "fokus") else {
                    return
                }
                self.document.fokus.append(.init(code: code, name: name))
            case "aksi":
                guard let code = required("kode"), let parent = required("induk"), let title = uraian()
                else { return }
                guard let number = Int(code), number > 0 else {
                    return problem(.notAWholeNumber(column: "kode", value: code))
                }
                guard claim(String(number), as: "aksi") else { return }
                self.lines["aksi-parent " + String(number)] = row.line
                self.document.aksi.append(.init(number: number, fokusCode: parent, title: title))
            case "output":
                guard let code = required("kode"), let parent = required("induk"), let title = uraian()
                else { return }
                guard let number = Int(parent) else { return problem(.notAWholeNumber(column: "induk", value: parent)) }
                guard PlanCode.parent(of: code) == String(number) else {
                    return problem(.codeDoesNotMatchParent(code: code, parent: parent))
                }
                guard claim(code, as: "output") else { return }
                self.document.outputs.append(.init(code: code, aksiNumber: number, title: title))
            case "indikator":
                guard let code = required("kode"), let parent = required("induk"),
                    let description = uraian(), let unit = bounded("satuan", limit: PlanItemRules.maximumUnitLength),
                    let rawKind = required("tipe"),
                    let rawWeight = required("bobot"), let rawFinal = required("target_akhir")
                else { return }
                guard let kind = IndicatorKind(planFileValue: rawKind) else {
                    return problem(.unknownIndicatorKind(rawKind))
                }
                guard let weight = quantity(rawWeight, column: "bobot", positive: true),
                    let final = quantity(rawFinal, column: "target_akhir")
                else { return }
                guard PlanCode.parent(of: code) == parent else {
                    return problem(.codeDoesNotMatchParent(code: code, parent: parent))
                }
                // Reported, but the row still counts, so that its targets are not reported as orphans too.
                let predecessor = optional("pendahulu")
                if let predecessor, !self.previousIndicators.contains(predecessor) {
                    problem(.unknownPredecessor(predecessor))
                }
                guard claim(code, as: "indikator") else { return }
                self.document.indicators.append(
                    .init(
                        code: code, outputCode: parent, description: description, unit: unit, kind: kind,
                        weight: weight, finalTarget: final, provenance: optional("kepastian"),
                        predecessorCode: predecessor))
            case "pelaksana":
                guard let parent = required("induk"), let name = instansi(), let rawRole = required("peran") else {
                    return
                }
                guard let role = PelaksanaRole(rawValue: rawRole.lowercased()) else {
                    return problem(.unknownRole(rawRole))
                }
                let assignment = PlanDocument.Assignment(parentCode: parent, instansi: name, role: role)
                let identity = PlanDocument.Assignment(parentCode: parent, instansi: name, role: .pelaksana)
                guard self.seenAssignments.insert(identity).inserted else {
                    return problem(.duplicateRow("pelaksana \(name) of \(parent)"))
                }
                self.lines["assignment \(self.document.assignments.count)"] = row.line
                self.document.assignments.append(assignment)
            case "target":
                guard let parent = required("induk"), let name = instansi(), let rawNumber = required("triwulan"),
                    let rawValue = required("nilai")
                else { return }
                guard let number = Int(rawNumber) else {
                    return problem(.notAWholeNumber(column: "triwulan", value: rawNumber))
                }
                guard (1...PlanFile.triwulanCount).contains(number) else {
                    return problem(.outOfRange(column: "triwulan", value: rawNumber))
                }
                guard let value = quantity(rawValue, column: "nilai") else { return }
                guard self.seenTargets.insert("\(parent)|\(name)|\(number)").inserted else {
                    return problem(.duplicateRow("target \(parent) \(name) triwulan \(number)"))
                }
                self.lines["target \(self.document.targets.count)"] = row.line
                self.document.targets.append(
                    .init(
                        indicatorCode: parent, instansi: name, triwulan: number, value: value,
                        description: optional("keterangan")))
            default:
                problem(.unknownRecordKind(row["jenis"]))
            }
        }

        /// Every induk must name a row of the right kind in the same file.
        mutating func checkReferences() {
            let fokus = Set(self.document.fokus.map(\.code))
            let aksi = Set(self.document.aksi.map { String($0.number) })
            let outputs = Set(self.document.outputs.map(\.code))
            let indicators = Set(self.document.indicators.map(\.code))
            for item in self.document.aksi where !fokus.contains(item.fokusCode) {
                self.problems.append(
                    Problem(
                        line: self.lines["aksi " + String(item.number)] ?? 0,
                        kind: .unknownParent(kind: "fokus", code: item.fokusCode)))
            }
            for item in self.document.outputs where !aksi.contains(String(item.aksiNumber)) {
                self.problems.append(
                    Problem(
                        line: self.lines["output " + item.code] ?? 0,
                        kind: .unknownParent(kind: "aksi", code: String(item.aksiNumber))))
            }
            for item in self.document.indicators where !outputs.contains(item.outputCode) {
                self.problems.append(
                    Problem(
                        line: self.lines["indikator " + item.code] ?? 0,
                        kind: .unknownParent(kind: "output", code: item.outputCode)))
            }
            for (index, item) in self.document.assignments.enumerated()
            where !aksi.contains(item.parentCode) && !outputs.contains(item.parentCode) {
                self.problems.append(
                    Problem(
                        line: self.lines["assignment \(index)"] ?? 0,
                        kind: .unknownParent(kind: "aksi or output", code: item.parentCode)))
            }
            for (index, item) in self.document.targets.enumerated() where !indicators.contains(item.indicatorCode) {
                self.problems.append(
                    Problem(
                        line: self.lines["target \(index)"] ?? 0,
                        kind: .unknownParent(kind: "indikator", code: item.indicatorCode)))
            }
            self.problems.sort { $0.line < $1.line }
        }
    }

    // MARK: - Writing

    /// The canonical file: UTF-8 without BOM, comma-separated, LF line ends, numbers with a decimal point.
    public static func write(_ document: PlanDocument) -> String {
        let plan = document.canonical
        var lines = [self.columns.joined(separator: ",")]
        func row(_ values: [String: String]) {
            lines.append(self.columns.map { self.quote(values[$0] ?? "") }.joined(separator: ","))
        }
        for item in plan.fokus { row(["jenis": "fokus", "kode": item.code, "uraian": item.name]) }
        for item in plan.aksi {
            row(["jenis": "aksi", "kode": String(item.number), "induk": item.fokusCode, "uraian": item.title])
        }
        for item in plan.outputs {
            row(["jenis": "output", "kode": item.code, "induk": String(item.aksiNumber), "uraian": item.title])
        }
        for item in plan.indicators {
            row([
                "jenis": "indikator", "kode": item.code, "induk": item.outputCode, "uraian": item.description,
                "satuan": item.unit, "tipe": self.fileValue(item.kind), "bobot": self.format(item.weight),
                "target_akhir": self.format(item.finalTarget), "kepastian": item.provenance ?? "",
                "pendahulu": item.predecessorCode ?? "",
            ])
        }
        for item in plan.assignments {
            row([
                "jenis": "pelaksana", "induk": item.parentCode, "instansi": item.instansi, "peran": item.role.rawValue,
            ])
        }
        for item in plan.targets {
            row([
                "jenis": "target", "induk": item.indicatorCode, "instansi": item.instansi,
                "triwulan": String(item.triwulan), "nilai": self.format(item.value),
                "keterangan": item.description ?? "",
            ])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func fileValue(_ kind: IndicatorKind) -> String {
        switch kind {
        case .milestone: "milestone"
        case .cumulative: "kumulatif"
        case .percentage: "persen"
        }
    }

    /// "34", "12.5", "0.33": no exponent, no trailing zeros, at most six decimals.
    public static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public static func quote(_ field: String) -> String {
        let needsQuotes =
            field.contains { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
