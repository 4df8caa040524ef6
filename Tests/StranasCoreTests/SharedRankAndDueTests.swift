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

    @Test func countsAndMilestonesTakeWholeNumbersPercentagesDecimals() {
        let words = (narasi: "", kendala: "", tindakLanjut: "", links: [String]())
        func problems(_ value: Double, _ kind: IndicatorKind) -> [ReportContentRules.Problem] {
            ReportContentRules.problems(
                narasi: words.narasi, kendala: words.kendala, tindakLanjut: words.tindakLanjut, links: words.links,
                capaian: value, kind: kind)
        }
        #expect(problems(3.5, .cumulative) == [.notWhole(3.5)])
        #expect(problems(0.5, .milestone) == [.notWhole(0.5)])
        #expect(problems(3, .cumulative).isEmpty)
        #expect(problems(37.5, .percentage).isEmpty)
    }
}
