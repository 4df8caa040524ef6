import Foundation
import Testing

@testable import StranasCore

@Suite("The plan CSV")
struct PlanFileTests {
    static let known: Set<String> = ["LKPP", "Provinsi Aceh", "Kementerian Keuangan"]
    static let header = PlanFile.columns.joined(separator: ",")

    /// A small but complete plan: every kind of row once or twice.
    static let sample = """
        \(header)
        fokus,2,,Keuangan Negara,,,,,,,,,,
        aksi,5,2,Efektivitas pengadaan,,,,,,,,,,
        output,5.1,5,Katalog lokal,,,,,,,,,,
        indikator,5.1.1,5.1,"Jumlah provinsi yang layak mengelola katalog, lokal",provinsi,kumulatif,1,34,,,,,,ilustratif
        pelaksana,,5,,,,,,LKPP,koordinator,,,,
        pelaksana,,5.1,,,,,,Provinsi Aceh,pelaksana,,,,
        target,,5.1.1,,,,,,Provinsi Aceh,,8,1,akhir periode,
        target,,5.1.1,,,,,,LKPP,,4,"17,5",,

        """

    func read(_ text: String, known: Set<String> = PlanFileTests.known) -> Result<PlanDocument, PlanFile.Rejection> {
        PlanFile.read(Data(text.utf8), knownInstansi: known)
    }

    func problems(_ text: String) -> [PlanFile.Problem] {
        if case .failure(let rejection) = self.read(text) { return rejection.problems }
        return []
    }

    @Test("a complete file reads into a plan, with a decimal comma understood")
    func readsAPlan() throws {
        let plan = try self.read(Self.sample).get()
        #expect(plan.fokus == [.init(code: "2", name: "Keuangan Negara")])
        #expect(plan.aksi == [.init(number: 5, fokusCode: "2", title: "Efektivitas pengadaan")])
        #expect(plan.indicators.first?.description == "Jumlah provinsi yang layak mengelola katalog, lokal")
        #expect(plan.indicators.first?.kind == .cumulative)
        #expect(plan.assignments.count == 2)
        #expect(plan.targets.map(\.value) == [17.5, 1])
    }

    @Test("writing and reading again gives the same plan and the same bytes")
    func roundTrip() throws {
        let plan = try self.read(Self.sample).get()
        let written = PlanFile.write(plan)
        let again = try self.read(written).get()
        #expect(again == plan)
        #expect(PlanFile.write(again) == written)
        #expect(written.contains("\"Jumlah provinsi yang layak mengelola katalog, lokal\""))
        #expect(written.contains(",17.5,"))
    }

    @Test("a spreadsheet's semicolons, BOM and CRLF read as the same plan")
    func spreadsheetDialect() throws {
        let semicolons =
            "\u{FEFF}"
            + Self.sample.replacingOccurrences(of: ",", with: ";")
            .replacingOccurrences(
                of: "\"Jumlah provinsi yang layak mengelola katalog; lokal\"",
                with: "\"Jumlah provinsi yang layak mengelola katalog, lokal\""
            )
            .replacingOccurrences(of: "\"17;5\"", with: "17,5")
            .replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try self.read(semicolons).get() == (try self.read(Self.sample).get()))
    }

    @Test("missing and unknown columns are named; the optional pendahulu column may be left out")
    func columns() throws {
        let required = PlanFile.columns.dropFirst(2).filter { !PlanFile.optionalColumns.contains($0) }
        #expect(required.count == 12)
        #expect(self.problems("jenis,kode\nfokus,1\n").first?.kind == .missingColumns(required))
        #expect(self.problems(Self.header + ",warna\n").first?.kind == .unknownColumns(["warna"]))
        let withoutPredecessors = Self.sample.replacingOccurrences(of: ",pendahulu\n", with: "\n")
        #expect(try self.read(withoutPredecessors).get() == (try self.read(Self.sample).get()))
    }

    @Test("pendahulu must name an indicator of the previous cycle; an ended instansi is refused by name")
    func predecessorsAndEndedInstansi() throws {
        let mapped = Self.sample.replacingOccurrences(
            of: "lokal\",provinsi,kumulatif,1,34,,,,,,ilustratif",
            with: "lokal\",provinsi,kumulatif,1,34,,,,,,ilustratif,4.2.1")
        #expect(mapped != Self.sample)
        let plan = try PlanFile.read(Data(mapped.utf8), knownInstansi: Self.known, previousIndicators: ["4.2.1"]).get()
        #expect(plan.indicators.first?.predecessorCode == "4.2.1")
        #expect(PlanFile.write(plan).contains(",ilustratif,4.2.1\n"))
        let unknown = PlanFile.read(Data(mapped.utf8), knownInstansi: Self.known, previousIndicators: ["4.2.2"])
        #expect(unknown.failureProblems == [.init(line: 5, kind: .unknownPredecessor("4.2.1"))])
        let ended = PlanFile.read(
            Data(Self.sample.utf8), knownInstansi: Self.known.subtracting(["LKPP"]), inactiveInstansi: ["LKPP"])
        #expect(ended.failureProblems.map(\.kind) == [.inactiveInstansi("LKPP"), .inactiveInstansi("LKPP")])
    }

    @Test("every bad row is reported with its line number, and nothing is read")
    func badRows() {
        let text = """
            \(Self.header)
            fokus,1,,Perizinan,,,,,,,,,,
            fokus,1,,Lagi,,,,,,,,,,
            aksi,satu,1,Judul,,,,,,,,,,
            aksi,2,9,Judul,,,,,,,,,,
            indikator,2.1.1,2.1,Uraian,persen,rasio,1,100,,,,,,
            pelaksana,,2,,,,,,Kementerian Entah,pelaksana,,,,
            target,,2.1.1,,,,,,LKPP,,9,10,,
            target,,2.1.1,,,,,,LKPP,,1,sepuluh,,
            rapat,,,,,,,,,,,,,

            """
        let found = self.problems(text)
        #expect(found.contains(.init(line: 3, kind: .duplicateCode("1"))))
        #expect(found.contains(.init(line: 4, kind: .notAWholeNumber(column: "kode", value: "satu"))))
        #expect(found.contains(.init(line: 5, kind: .unknownParent(kind: "fokus", code: "9"))))
        #expect(found.contains(.init(line: 6, kind: .unknownIndicatorKind("rasio"))))
        #expect(found.contains(.init(line: 7, kind: .unknownInstansi("Kementerian Entah"))))
        #expect(found.contains(.init(line: 8, kind: .outOfRange(column: "triwulan", value: "9"))))
        #expect(found.contains(.init(line: 9, kind: .notANumber(column: "nilai", value: "sepuluh"))))
        #expect(found.contains(.init(line: 10, kind: .unknownRecordKind("rapat"))))
        #expect(found.map(\.line) == found.map(\.line).sorted())
    }

    @Test("a title or unit the editor would refuse is refused in the file too, by the same limits")
    func editorLimits() {
        let long = String(repeating: "a", count: PlanItemRules.maximumTitleLength + 1)
        let wideUnit = String(repeating: "u", count: PlanItemRules.maximumUnitLength + 1)
        let text = """
            \(Self.header)
            fokus,2,,\(long),,,,,,,,,,
            aksi,5,2,Efektivitas pengadaan,,,,,,,,,,
            output,5.1,5,Katalog lokal,,,,,,,,,,
            indikator,5.1.1,5.1,Jumlah provinsi,\(wideUnit),kumulatif,1,34,,,,,,

            """
        #expect(
            self.problems(text) == [
                .init(line: 2, kind: .tooLong(column: "uraian", limit: PlanItemRules.maximumTitleLength)),
                .init(line: 5, kind: .tooLong(column: "satuan", limit: PlanItemRules.maximumUnitLength)),
            ])
        #expect(PlanItemRules.problem(withTitle: long) == .titleTooLong)
        #expect(PlanItemRules.problem(withTitle: "") == .titleMissing)
        #expect(PlanItemRules.problem(withUnit: wideUnit) == .unitMissingOrTooLong)
        #expect(PlanItemRules.problem(withTitle: "Katalog lokal") == nil)
    }

    @Test("duplicate targets and assignments are refused")
    func duplicates() {
        let text = Self.sample + "target,,5.1.1,,,,,,LKPP,,4,18,,\npelaksana,,5,,,,,,LKPP,pelaksana,,,,\n"
        let found = self.problems(text)
        #expect(found.count == 2)
        #expect(found.map(\.line) == [10, 11])
    }

    @Test("broken encodings, empty files and oversized files are refused as a whole")
    func wholeFileProblems() {
        #expect(
            PlanFile.read(Data([0x6A, 0x65, 0xFF, 0xFE, 0x00]), knownInstansi: []).failureProblems
                == [.init(line: 0, kind: .notUTF8)])
        #expect(self.problems("").first?.kind == .empty)
        #expect(self.problems(Self.header + "\n").first?.kind == .empty)
        let huge = Data(count: PlanFile.maximumBytes + 1)
        #expect(
            PlanFile.read(huge, knownInstansi: []).failureProblems
                == [.init(line: 0, kind: .tooLarge(bytes: PlanFile.maximumBytes + 1))])
    }

    @Test("numbers are written without exponents and a number above the bound is named as too large")
    func numbers() {
        let huge = Self.sample.replacingOccurrences(of: "kumulatif,1,34", with: "kumulatif,1,100000000000000000000")
        let problems = self.problems(huge)
        #expect(
            problems.first
                == .init(line: 5, kind: .numberTooLarge(column: "target_akhir", value: "100000000000000000000")))
        #expect(
            self.problems(Self.sample.replacingOccurrences(of: "\"17,5\"", with: "1e3")).map(\.kind) == [
                .notANumber(column: "nilai", value: "1e3")
            ])
        #expect(PlanFile.format(34) == "34")
        #expect(PlanFile.format(12.5) == "12.5")
        #expect(PlanFile.format(1.0 / 3) == "0.333333")
    }

    @Test("codes sort as numbers part by part")
    func codeOrder() {
        let codes = ["10.1", "2.1", "2.10", "2.2", "1"]
        #expect(codes.sorted(by: PlanCode.precedes) == ["1", "2.1", "2.2", "2.10", "10.1"])
    }
}

extension Result where Failure == PlanFile.Rejection {
    var failureProblems: [PlanFile.Problem] {
        if case .failure(let rejection) = self { return rejection.problems }
        return []
    }
}

@Suite("Plan changes")
struct PlanChangesTests {
    @Test("a preview names what is added, changed and removed")
    func preview() throws {
        let before = try PlanFile.read(Data(PlanFileTests.sample.utf8), knownInstansi: PlanFileTests.known).get()
        var after = before
        after.targets[0].value = 18
        after.targets.removeLast()
        after.fokus.append(.init(code: "3", name: "Penegakan Hukum"))
        let changes = PlanChanges.between(before, after)
        #expect(changes.added == ["fokus 3"])
        #expect(changes.changed == ["target 5.1.1 · LKPP · TW 4: 17.5 → 18"])
        #expect(changes.removed == ["target 5.1.1 · Provinsi Aceh · TW 8"])
        #expect(PlanChanges.between(before, before).isEmpty)
    }
}
