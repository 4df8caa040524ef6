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

    @Test("a cycle's code, and a triwulan's month code, are written one way")
    func codes() {
        #expect(ReportingCalendar.cycleCode(startYear: 2021) == "2021-2022")
        #expect(ReportingCalendar.monthCode(ofTriwulan: 1) == "B03")
        #expect(ReportingCalendar.monthCode(ofTriwulan: 3) == "B09")
        #expect(ReportingCalendar.monthCode(ofTriwulan: 4) == "B12")
        #expect(ReportingCalendar.monthCode(ofTriwulan: 8) == "B24")
    }

    @Test("public pages show the latest reported triwulan that has ended, never one still running")
    func publicTriwulan() {
        let day = { CalendarDate(iso: $0)! }
        // 10 July 2021: TW I and II have ended.
        #expect(ReportingCalendar.publicTriwulan(startYear: 2021, latestReported: nil, today: day("2021-07-10")) == 2)
        #expect(ReportingCalendar.publicTriwulan(startYear: 2021, latestReported: 1, today: day("2021-07-10")) == 1)
        #expect(ReportingCalendar.publicTriwulan(startYear: 2021, latestReported: 3, today: day("2021-07-10")) == 2)
        // Before the first quarter ends, the first.
        #expect(ReportingCalendar.publicTriwulan(startYear: 2021, latestReported: nil, today: day("2021-02-01")) == 1)
    }

    @Test("an instansi's report shows the triwulan whose window is open, else the latest opened, else the first")
    func reportingTriwulan() {
        let day = { CalendarDate(iso: $0)! }
        let windows = [
            (number: 1, opensOn: day("2021-03-01"), locksOn: day("2021-04-30")),
            (number: 2, opensOn: day("2021-06-01"), locksOn: day("2021-07-31")),
        ]
        #expect(ReportingCalendar.reportingTriwulan(windows: windows, today: day("2021-04-10")) == 1)
        #expect(ReportingCalendar.reportingTriwulan(windows: windows, today: day("2021-05-15")) == 1)
        #expect(ReportingCalendar.reportingTriwulan(windows: windows, today: day("2021-06-01")) == 2)
        #expect(ReportingCalendar.reportingTriwulan(windows: windows, today: day("2020-12-01")) == 1)
        #expect(ReportingCalendar.reportingTriwulan(windows: [], today: day("2021-06-01")) == nil)
    }
}
