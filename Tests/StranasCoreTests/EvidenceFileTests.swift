import Foundation
import Testing

@testable import StranasCore

@Suite("Evidence files recognised by content")
struct EvidenceFileTests {
    @Test("each accepted kind is recognised by its bytes, whatever its name")
    func recognised() {
        #expect(EvidenceKind.detect(Data("%PDF-1.7\n".utf8), fileName: "laporan.bin") == .pdf)
        #expect(EvidenceKind.detect(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), fileName: "x") == .png)
        #expect(EvidenceKind.detect(Data([0xFF, 0xD8, 0xFF, 0xE0, 0]), fileName: "foto.png") == .jpeg)
        #expect(EvidenceKind.detect(Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), fileName: "x") == .webp)
        let xlsx = Data([0x50, 0x4B, 0x03, 0x04]) + Data("....[Content_Types].xml....xl/workbook.xml".utf8)
        #expect(EvidenceKind.detect(xlsx, fileName: "data.xlsx") == .xlsx)
        let docx = Data([0x50, 0x4B, 0x03, 0x04]) + Data("....[Content_Types].xml....word/document.xml".utf8)
        #expect(EvidenceKind.detect(docx, fileName: "surat.docx") == .docx)
        #expect(EvidenceKind.detect(Data("kode;nilai\n1;2\n".utf8), fileName: "nilai.CSV") == .csv)
    }

    @Test("executables, plain archives, binary files named .csv and unknown bytes are refused")
    func refused() {
        #expect(EvidenceKind.detect(Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1]), fileName: "laporan.pdf") == nil)
        #expect(EvidenceKind.detect(Data("MZ\u{90}\u{0}".utf8), fileName: "laporan.pdf") == nil)
        #expect(EvidenceKind.detect(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), fileName: "arsip.docx") == nil)
        #expect(EvidenceKind.detect(Data([0x41, 0x00, 0x42]), fileName: "data.csv") == nil)
        #expect(EvidenceKind.detect(Data("kode,nilai".utf8), fileName: "data.txt") == nil)
        #expect(EvidenceKind.detect(Data(), fileName: "kosong.pdf") == nil)
    }

    @Test("names lose paths, quotes and control characters, and take the real kind's extension")
    func names() {
        #expect(EvidenceKind.safeName("../../etc/passwd", kind: .pdf) == "passwd.pdf")
        #expect(EvidenceKind.safeName("C:\\Users\\a\\Foto \"rapat\";.jpeg", kind: .jpeg) == "Foto rapat.jpg")
        #expect(EvidenceKind.safeName("", kind: .png) == "bukti.png")
        #expect(EvidenceKind.safeName("program.exe", kind: .pdf) == "program.pdf")
    }
}
