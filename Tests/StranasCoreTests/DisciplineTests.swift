import Testing

@testable import StranasCore

@Suite("Reporting discipline")
struct DisciplineTests {
    static let due = CalendarDate(year: 2021, month: 4, day: 15)!
    static func day(_ d: Int, month: Int = 4) -> CalendarDate { CalendarDate(year: 2021, month: month, day: d)! }

    @Test("completeness, on-time rate, returns and the median days to verify, by hand")
    func summary() {
        let lines = [
            Discipline.Line(
                dueOn: Self.due, asksSomething: true, submission: .onTime, returns: 0, daysToVerify: [2]),
            Discipline.Line(
                dueOn: Self.due, asksSomething: true, submission: .onTime, returns: 1,
                daysToVerify: [4, 10]),
            Discipline.Line(
                dueOn: Self.due, asksSomething: true, submission: .late, returns: 0, daysToVerify: [1]),
            Discipline.Line(dueOn: Self.due, asksSomething: true, submission: nil, returns: 0, daysToVerify: []),
            // A target of 0 is not due and does not count.
            Discipline.Line(dueOn: Self.due, asksSomething: false, submission: nil, returns: 0, daysToVerify: []),
        ]
        let summary = Discipline.summarize(lines, today: Self.day(1, month: 5))
        #expect(summary.due == 4)
        #expect(summary.reportedByDue == 2)
        #expect(summary.completeness == 0.5)
        #expect(summary.submitted == 3)
        #expect(summary.onTimeRate == 2.0 / 3.0)
        #expect(summary.returns == 1)
        // Days 1, 2, 4, 10: the median is (2 + 4) / 2.
        #expect(summary.medianDaysToVerify == 3)
    }

    @Test("before the due day nothing is due yet, and an empty record has no rates")
    func beforeDue() {
        let line = Discipline.Line(
            dueOn: Self.due, asksSomething: true, submission: nil, returns: 0, daysToVerify: [])
        let summary = Discipline.summarize([line], today: Self.day(14))
        #expect(summary.due == 0)
        #expect(summary.completeness == nil)
        #expect(summary.onTimeRate == nil)
        #expect(summary.medianDaysToVerify == nil)
        #expect(Discipline.median([5]) == 5)
    }
}
