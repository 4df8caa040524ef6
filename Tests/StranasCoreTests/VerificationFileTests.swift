import Foundation
import Testing

@testable import StranasCore

@Suite("The verifikator's spreadsheet")
struct VerificationFileTests {
    @Test("a written file reads back with no decision; decided rows read with their value and note")
    func roundTrip() {
        let line = VerificationFile.Line(
            targetID: 7, aksiNumber: 5, indicatorCode: "5.1.1", description: "=Katalog, elektronik", instansi: "LKPP",
            triwulan: "TW I 2021", unit: "persen", target: 10, capaian: 2.5, evidence: "1 berkas, 0 tautan", version: 3)
        let written = VerificationFile.write([line])
        #expect(written.hasPrefix("\u{FEFF}id_baris,aksi,indikator,uraian,instansi,triwulan,satuan,target,capaian,"))
        #expect(written.contains("\"'=Katalog, elektronik\""))
        let untouched = VerificationFile.readRows(Data(written.utf8))
        #expect(untouched.entries.isEmpty && untouched.problems.isEmpty)

        let decided = written.replacingOccurrences(of: ",3,,,\r\n", with: ",3,TERIMA,\"2,25\",'=sesuai\r\n")
        let read = VerificationFile.readRows(Data(decided.utf8))
        #expect(read.problems.isEmpty)
        #expect(
            read.entries == [
                VerificationFile.Entry(
                    line: 2, targetID: 7, version: 3, decision: .accept, value: 2.25, note: "=sesuai")
            ])
    }

    @Test("unknown decisions and values that are no quantity are named with their line")
    func problems() {
        let file = "id_baris;versi;keputusan;nilai_terverifikasi;catatan\r\n1;2;mungkin;-1;\r\n3;4;return;;alasan\r\n"
        let read = VerificationFile.readRows(Data(file.utf8))
        #expect(read.entries.map(\.decision) == [.return])
        #expect(
            read.problems == [
                .init(line: 2, kind: .unknownDecision("mungkin")), .init(line: 2, kind: .notAVerifiedValue("-1")),
            ])
    }
}
