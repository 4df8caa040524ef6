import Testing

@testable import StranasCore

@Suite("When reminders are due")
struct ReminderScheduleTests {
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    @Test("report reminders: seven days before, the day before, the day after; nothing earlier; the latest stage wins")
    func reportStages() {
        let due = Self.day("2021-04-15")
        let expected: [(String, ReminderSchedule.ReportStage?)] = [
            ("2021-04-07", nil), ("2021-04-08", .weekBefore), ("2021-04-13", .weekBefore),
            ("2021-04-14", .dayBefore), ("2021-04-15", .dayBefore), ("2021-04-16", .dayAfter),
            ("2021-05-30", .dayAfter),
        ]
        for (today, stage) in expected {
            #expect(ReminderSchedule.reportStage(on: Self.day(today), dueOn: due) == stage, "\(today)")
        }
        // Across a month and a year end.
        #expect(ReminderSchedule.reportStage(on: Self.day("2021-12-25"), dueOn: Self.day("2022-01-01")) == .weekBefore)
        #expect(ReminderSchedule.reportStage(on: Self.day("2022-01-02"), dueOn: Self.day("2022-01-01")) == .dayAfter)
    }

    @Test("case notices: forwarded, two working days left (holidays counted out), then overdue")
    func caseStages() {
        // Forwarded Monday 22 December 2025, due 7 working days later with Christmas and new year off.
        let calendar = WorkingCalendar(
            holidays: [Self.day("2025-12-25"), Self.day("2025-12-26"), Self.day("2026-01-01")])
        let forwarded = Self.day("2025-12-22")
        let due = calendar.deadline(after: forwarded, workingDays: 7)
        #expect(due == Self.day("2026-01-05"))
        func stage(_ today: String) -> ReminderSchedule.CaseStage? {
            ReminderSchedule.caseStage(on: Self.day(today), forwardedOn: forwarded, dueOn: due, calendar: calendar)
        }
        #expect(stage("2025-12-21") == nil)
        #expect(stage("2025-12-22") == .forwarded)
        #expect(stage("2025-12-30") == .forwarded)  // Wed 31, Fri 2, Mon 5: three working days left
        #expect(stage("2025-12-31") == .twoDaysLeft)  // Fri 2, Mon 5
        #expect(stage("2026-01-05") == .twoDaysLeft)
        #expect(stage("2026-01-06") == .overdue)
    }

    @Test("a verifikator is reminded of lines waiting longer than the configured days, and a key names one reminder")
    func waitingAndKeys() {
        #expect(
            !ReminderSchedule.verificationIsWaiting(
                submittedOn: Self.day("2021-04-10"), today: Self.day("2021-04-17"), longerThan: 7))
        #expect(
            ReminderSchedule.verificationIsWaiting(
                submittedOn: Self.day("2021-04-10"), today: Self.day("2021-04-18"), longerThan: 7))
        let key = ReminderKey(stage: "h-1", subject: "baris 42", recipientID: 7, deadline: Self.day("2021-04-15"))
        #expect(key.description == "h-1|baris 42|7|2021-04-15")
        #expect(key == ReminderKey(stage: "h-1", subject: "baris 42", recipientID: 7, deadline: Self.day("2021-04-15")))
        #expect(key != ReminderKey(stage: "h+1", subject: "baris 42", recipientID: 7, deadline: Self.day("2021-04-15")))
    }
}
