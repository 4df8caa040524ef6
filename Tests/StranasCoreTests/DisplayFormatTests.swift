import Testing

@testable import StranasCore

@Suite("Display formats")
struct DisplayFormatTests {
    static let indonesian = DisplayFormat(
        language: .id,
        monthNames: [
            "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
            "November", "Desember",
        ])
    static let english = DisplayFormat(
        language: .en,
        monthNames: [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ])

    @Test("Indonesian numbers use a decimal comma and group thousands with dots")
    func indonesianNumbers() {
        let format = Self.indonesian
        #expect(format.number(21.32) == "21,32")
        #expect(format.number(1250) == "1.250")
        #expect(format.number(1_234_567.5) == "1.234.567,5")
        #expect(format.number(100) == "100")
        #expect(format.number(12.5) == "12,5")
        #expect(format.number(0.005) == "0,01")
        #expect(format.number(-3.25) == "-3,25")
        #expect(format.number(0) == "0")
    }

    @Test("English numbers use a decimal point and group thousands with commas")
    func englishNumbers() {
        #expect(Self.english.number(21.32) == "21.32")
        #expect(Self.english.number(1_234_567.5) == "1,234,567.5")
    }

    @Test("dates read as '1 April 2021' with the month in the reader's language")
    func dates() {
        let date = CalendarDate(iso: "2021-04-01")!
        #expect(Self.indonesian.date(date) == "1 April 2021")
        #expect(Self.indonesian.date(CalendarDate(iso: "2022-08-17")!) == "17 Agustus 2022")
        #expect(Self.english.date(CalendarDate(iso: "2022-08-17")!) == "17 August 2022")
    }

    @Test("date ranges name the month and year once where they are shared")
    func ranges() {
        let format = Self.indonesian
        #expect(
            format.dateRange(CalendarDate(iso: "2021-04-01")!, CalendarDate(iso: "2021-04-15")!) == "1 – 15 April 2021")
        #expect(
            format.dateRange(CalendarDate(iso: "2021-03-01")!, CalendarDate(iso: "2021-04-15")!)
                == "1 Maret – 15 April 2021")
        #expect(
            format.dateRange(CalendarDate(iso: "2022-12-01")!, CalendarDate(iso: "2023-01-15")!)
                == "1 Desember 2022 – 15 Januari 2023")
    }

    @Test("a number for a form's field: the reader's decimal separator, no grouping, read back by Quantity")
    func editable() {
        #expect(Self.indonesian.editable(1250.5) == "1250,5")
        #expect(Self.english.editable(1250.5) == "1250.5")
        #expect(Self.indonesian.editable(3) == "3")
        #expect(Quantity.read(Self.indonesian.editable(1_234_567.125)) == .success(1_234_567.125))
    }
}
