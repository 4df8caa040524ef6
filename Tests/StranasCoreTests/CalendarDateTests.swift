import Testing

@testable import StranasCore

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("ISO dates round-trip and impossible dates are refused")
    func parsing() {
        #expect(CalendarDate(iso: "2021-04-15")?.iso == "2021-04-15")
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "1900-02-29") == nil)
        #expect(CalendarDate(iso: "2000-02-29") != nil)
        #expect(CalendarDate(iso: "2021-13-01") == nil)
        #expect(CalendarDate(iso: "2021-4-15") == nil)
        #expect(CalendarDate(iso: "tomorrow") == nil)
    }

    @Test("month arithmetic crosses year ends")
    func months() {
        let november = CalendarDate(iso: "2022-11-20")!
        #expect(november.firstOfMonth(adding: 2).iso == "2023-01-01")
        #expect(november.firstOfMonth(adding: -11).iso == "2021-12-01")
        #expect(CalendarDate(iso: "2024-02-03")!.endOfMonth.iso == "2024-02-29")
    }

    @Test("dates order by day")
    func ordering() {
        #expect(CalendarDate(iso: "2021-12-31")! < CalendarDate(iso: "2022-01-01")!)
        #expect(!(CalendarDate(iso: "2022-01-01")! < CalendarDate(iso: "2022-01-01")!))
    }
}
