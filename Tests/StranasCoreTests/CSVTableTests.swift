import Testing

@testable import StranasCore

@Suite("CSV tables")
struct CSVTableTests {
    @Test("quoted fields keep commas, doubled quotes and line breaks")
    func quoting() throws {
        let table = try CSVTable(
            text: "kode,nama\n1,\"Kementerian Pendidikan, Kebudayaan\"\n2,\"Kata \"\"kutip\"\"\nbaris\"\n")
        #expect(table.rows.count == 2)
        #expect(table.rows[0]["nama"] == "Kementerian Pendidikan, Kebudayaan")
        #expect(table.rows[1]["nama"] == "Kata \"kutip\"\nbaris")
        #expect(table.rows[1].line == 3)
    }

    @Test("a byte order mark, CRLF line ends and semicolons are read as spreadsheets write them")
    func spreadsheetDialects() throws {
        let table = try CSVTable(text: "\u{FEFF}kode;nilai\r\n11;21,32\r\n12;7\r\n")
        #expect(table.header == ["kode", "nilai"])
        #expect(table.rows.map { $0["nilai"] } == ["21,32", "7"])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test("missing columns and unterminated quotes are reported")
    func errors() {
        #expect(throws: CSVTable.ParseError.missingColumns(["nama"])) {
            try CSVTable(text: "kode\n1\n", requiredColumns: ["kode", "nama"])
        }
        #expect(throws: CSVTable.ParseError.unterminatedQuote(line: 2)) {
            try CSVTable(text: "kode,nama\n1,\"tanpa akhir\n")
        }
        #expect(throws: CSVTable.ParseError.empty) { try CSVTable(text: "") }
    }

    @Test("blank lines are skipped and a short row reads missing columns as empty")
    func blanks() throws {
        let table = try CSVTable(text: "a,b\n\n1\n")
        #expect(table.rows.count == 1)
        #expect(table.rows[0]["a"] == "1")
        #expect(table.rows[0]["b"] == "")
    }

    @Test("plan file types are read in Indonesian and English")
    func indicatorKinds() {
        #expect(IndicatorKind(planFileValue: "kumulatif") == .cumulative)
        #expect(IndicatorKind(planFileValue: "persen") == .percentage)
        #expect(IndicatorKind(planFileValue: " Milestone ") == .milestone)
        #expect(IndicatorKind(planFileValue: "rasio") == nil)
    }
}
