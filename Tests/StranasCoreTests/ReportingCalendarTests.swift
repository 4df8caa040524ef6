import Testing

@testable import StranasCore

@Suite("Reporting calendar")
struct ReportingCalendarTests {
    @Test("a cycle has eight triwulan covering months B01 to B24")
    func eightTriwulan() {
        let schedule = ReportingCalendar.defaultSchedule(startYear: 2021)
        #expect(schedule.map(\.number) == Array(1...8))
        #expect(schedule.first?.months == 1...3)
        #expect(schedule.last?.months == 22...24)
    }

    @Test("a triwulan opens in its last month, is due on the 15th after it and locks at that month's end")
    func windows() {
        let schedule = ReportingCalendar.defaultSchedule(startYear: 2021)
        let first = schedule[0]
        #expect(first.startsOn.iso == "2021-01-01")
        #expect(first.endsOn.iso == "2021-03-31")
        #expect(first.opensOn.iso == "2021-03-01")
        #expect(first.dueOn.iso == "2021-04-15")
        #expect(first.locksOn.iso == "2021-04-30")
        // The last triwulan of the cycle is reported in the January after it.
        let last = schedule[7]
        #expect(last.startsOn.iso == "2022-10-01")
        #expect(last.endsOn.iso == "2022-12-31")
        #expect(last.dueOn.iso == "2023-01-15")
        #expect(last.locksOn.iso == "2023-01-31")
        #expect(schedule[4].quarterOfYear == 1)
    }

    @Test("every window opens before it is due and is due before it locks")
    func windowOrder() {
        for schedule in ReportingCalendar.defaultSchedule(startYear: 2025) {
            #expect(schedule.opensOn <= schedule.endsOn)
            #expect(schedule.endsOn < schedule.dueOn)
            #expect(schedule.dueOn < schedule.locksOn)
        }
    }

    @Test("the current cycle is the one running today, else the latest started, else the earliest")
    func currentCycle() {
        func cycle(_ start: Int) -> (startsOn: CalendarDate, endsOn: CalendarDate) {
            (CalendarDate(year: start, month: 1, day: 1)!, CalendarDate(year: start + 1, month: 12, day: 31)!)
        }
        let cycles = [cycle(2021), cycle(2019), cycle(2023)]
        #expect(ReportingCalendar.currentCycleIndex(of: cycles, today: CalendarDate(iso: "2022-06-30")!) == 0)
        #expect(ReportingCalendar.currentCycleIndex(of: cycles, today: CalendarDate(iso: "2026-11-30")!) == 2)
        #expect(ReportingCalendar.currentCycleIndex(of: cycles, today: CalendarDate(iso: "2018-05-01")!) == 1)
        #expect(ReportingCalendar.currentCycleIndex(of: [], today: CalendarDate(iso: "2022-01-01")!) == nil)
    }
}
