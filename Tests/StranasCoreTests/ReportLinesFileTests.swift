import Foundation
import Testing

@testable import StranasCore

@Suite("Report lines spreadsheet")
struct ReportLinesFileTests {
    static func line(
        _ id: Int, narasi: String = "", links: [String] = [], capaian: Double? = nil
    )
        -> ReportLinesFile.Line
    {
        ReportLinesFile.Line(
            targetID: id, aksiNumber: 5, indicatorCode: "5.1.\(id)", description: "Indikator, \"uji\"", unit: "%",
            target: 25, state: "Belum diisi", version: id % 3, capaian: capaian, narasi: narasi,
            kendala: "Anggaran; terlambat", tindakLanjut: "", links: links)
    }

    @Test("what is written reads back as the same words, links, numbers and versions")
    func roundTrip() throws {
        let lines = [
            Self.line(
                11, narasi: "Rapat 1, rapat 2.\nLalu \"uji\" lapangan.",
                links: ["https://a.go.id/1", "https://b.go.id/2"], capaian: 12.5),
            Self.line(12, narasi: "=HYPERLINK(\"http://jahat.example\")"),
            Self.line(13, narasi: "- poin satu\n- poin dua", capaian: 0),
        ]
        let text = ReportLinesFile.write(lines)
        #expect(text.hasPrefix("\u{FEFF}id_baris,aksi,indikator,"))
        #expect(text.contains("\r\n"))
        // A formula is written behind an apostrophe, so a spreadsheet shows it as text.
        #expect(text.contains("'=HYPERLINK"))
        #expect(text.contains("'- poin satu"))

        let entries = try ReportLinesFile.read(Data(text.utf8)).get()
        #expect(entries.map(\.targetID) == [11, 12, 13])
        #expect(entries.map(\.version) == [2, 0, 1])
        #expect(entries.map(\.capaian) == [12.5, nil, 0])
        #expect(entries.map(\.narasi) == lines.map(\.narasi))
        #expect(entries.map(\.kendala) == lines.map(\.kendala))
        #expect(entries[0].links == ["https://a.go.id/1", "https://b.go.id/2"])
        #expect(entries.allSatisfy { !$0.send })
        // Rows start on the file line where they begin; line breaks inside cells count.
        #expect(entries.map(\.line) == [2, 5, 6])
    }

    @Test("an Indonesian spreadsheet's file: semicolons, decimal comma, no byte order mark, kirim = ya")
    func indonesianSpreadsheet() throws {
        let text = """
            id_baris;versi;capaian;narasi;kendala;tindak_lanjut;tautan;kirim
            21;0;3,75;Sudah, berjalan;;;https://a.go.id/x https://b.go.id/y;Ya
            22;4;;;;;;

            """
        let entries = try ReportLinesFile.read(Data(text.utf8)).get()
        #expect(entries.count == 2)
        #expect(entries[0].capaian == 3.75)
        #expect(entries[0].narasi == "Sudah, berjalan")
        #expect(entries[0].links == ["https://a.go.id/x", "https://b.go.id/y"])
        #expect(entries[0].send)
        #expect(entries[1].capaian == nil && !entries[1].send && entries[1].version == 4)
    }

    @Test("every problem of a file is named with its line, and a file with any problem gives no rows")
    func problems() throws {
        let text = """
            id_baris,versi,capaian,narasi,kendala,tindak_lanjut,tautan,kirim
            abc,0,1,,,,,
            31,,1,,,,,
            32,0,-2,,,,,
            33,0,"1.250.000",,,,,
            32,1,1,,,,,mungkin
            35,0,1,,,,,
            """
        guard case .failure(let rejection) = ReportLinesFile.read(Data(text.utf8)) else {
            Issue.record("a file with problems was read")
            return
        }
        #expect(
            rejection.problems == [
                .init(line: 2, kind: .notAWholeNumber(column: "id_baris", value: "abc")),
                .init(line: 3, kind: .missingValue(column: "versi")),
                .init(line: 4, kind: .notACapaian("-2")),
                .init(line: 5, kind: .notACapaian("1.250.000")),
                .init(line: 6, kind: .duplicateLine(32)),
                .init(line: 6, kind: .unknownSendValue("mungkin")),
            ])
    }

    @Test("files that cannot be read at all: not UTF-8, missing or unknown columns, no rows, too large")
    func unreadableFiles() {
        func kinds(_ data: Data) -> [ReportLinesFile.Problem.Kind] {
            guard case .failure(let rejection) = ReportLinesFile.read(data) else { return [] }
            return rejection.problems.map(\.kind)
        }
        let header = "id_baris,versi,capaian,narasi,kendala,tindak_lanjut,tautan\n"
        // "Kegiatan “rapat”" as Windows-1252, as Excel's plain "CSV" writes it.
        let windows1252 =
            Data(header.utf8) + Data([0x31, 0x2C, 0x30, 0x2C, 0x31, 0x2C, 0x93, 0x72, 0x94, 0x2C, 0x2C, 0x2C, 0x0A])
        #expect(kinds(windows1252) == [.notUTF8])
        #expect(
            kinds(Data("id_baris,versi,capaian\n1,0,2\n".utf8)) == [
                .missingColumns(["narasi", "kendala", "tindak_lanjut", "tautan"])
            ])
        #expect(
            kinds(Data(header.replacingOccurrences(of: "capaian", with: "capain").utf8)) == [
                .missingColumns(["capaian"])
            ])
        #expect(
            kinds(Data(header.replacingOccurrences(of: "\n", with: ",catatan\n").utf8)) == [
                .unknownColumns(["catatan"])
            ])
        #expect(kinds(Data(header.utf8)) == [.empty])
        #expect(kinds(Data()) == [.empty])
        #expect(kinds(Data("id_baris,\"versi\n".utf8)) == [.unterminatedQuote])
        #expect(
            kinds(Data(count: ReportLinesFile.maximumBytes + 1)) == [.tooLarge(bytes: ReportLinesFile.maximumBytes + 1)]
        )
    }

    @Test("texts are the same when only line ends and spaces at the ends differ")
    func sameText() {
        #expect(ReportLinesFile.sameText("Rapat.\nLalu uji.", "Rapat.\r\nLalu uji.\r\n"))
        #expect(ReportLinesFile.sameText("Rapat.", " Rapat. "))
        #expect(!ReportLinesFile.sameText("Rapat 2.", "Rapat."))
        #expect(!ReportLinesFile.sameText("Rapat.\n\nLalu", "Rapat.\nLalu"))
    }
}

@Suite("Spreadsheet cells")
struct SpreadsheetCellTests {
    @Test(
        "text that would start a formula is written behind an apostrophe and read back as it was",
        arguments: ["=1+1", "+62 812", "@SUM(A1)", "-cmd|' /C calc'!A0", "\tx", "\r=x"])
    func formulas(_ text: String) {
        #expect(SpreadsheetCell.neutralised(text) == "'" + text)
        #expect(SpreadsheetCell.restored(SpreadsheetCell.neutralised(text)) == text)
    }

    @Test("numbers, negative ones too, and plain text are written as they are", arguments: ["-3.5", "12", "Aceh", ""])
    func plain(_ text: String) {
        #expect(SpreadsheetCell.neutralised(text) == text)
    }
}
