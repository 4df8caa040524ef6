import StranasCore
import Testing

@Suite struct SharedRankAndDueTests {
    @Test func tiesShareARankAndTheNextRankSkips() {
        #expect(Ranking.sharedRanks([0.9, 0.5, 0.5, 0.2, 0, 0, 0]) == [1, 2, 2, 4, 5, 5, 5])
        #expect(Ranking.sharedRanks([[0.5, 0.7], [0.5, 0.6], [0.5, 0.6]] as [[Double?]]) == [1, 2, 2])
        #expect(Ranking.sharedRanks([Double]()) == [])
        #expect(Ranking.sharedRanks([nil, nil] as [Double?]) == [1, 1])
    }

    @Test func aTriwulanIsDueTheDayAfterItsDeadline() {
        let due = CalendarDate(year: 2021, month: 4, day: 15)!
        #expect(!ReportingCalendar.isDue(dueOn: due, today: CalendarDate(year: 2021, month: 4, day: 5)!))
        #expect(!ReportingCalendar.isDue(dueOn: due, today: due))
        #expect(ReportingCalendar.isDue(dueOn: due, today: CalendarDate(year: 2021, month: 4, day: 16)!))
    }
}
