/// When people are reminded, decided from days alone, so that a runner that runs often, rarely or late sends each
/// reminder once and never one that no longer makes sense (background work).
///
/// A stage is reached on its day and stays reached; a runner sends the latest stage reached that it has not sent for
/// the same subject, recipient and deadline (`ReminderKey`), and skips earlier stages it missed.
public enum ReminderSchedule {
    /// Reminders to an instansi about a triwulan's missing lines.
    public enum ReportStage: String, Sendable, CaseIterable, Comparable {
        /// Seven days before the due day.
        case weekBefore = "h-7"
        /// The day before the due day.
        case dayBefore = "h-1"
        /// The day after the due day: the lines are late.
        case dayAfter = "h+1"

        var offset: Int {
            switch self {
            case .weekBefore: -7
            case .dayBefore: -1
            case .dayAfter: 1
            }
        }

        public static func < (lhs: ReportStage, rhs: ReportStage) -> Bool { lhs.offset < rhs.offset }
    }

    /// The latest reminder stage reached on `today` for lines due on `dueOn`, if any.
    public static func reportStage(on today: CalendarDate, dueOn: CalendarDate) -> ReportStage? {
        ReportStage.allCases.filter { dueOn.adding(days: $0.offset) <= today }.max()
    }

    /// Notices about a forwarded laporan penyimpangan, to the instansi and, when overdue, to Setnas.
    public enum CaseStage: String, Sendable, CaseIterable, Comparable {
        case forwarded = "diteruskan"
        /// Two working days or fewer are left before the deadline.
        case twoDaysLeft = "sisa-2-hari"
        /// The deadline has passed without an answer: Setnas is told (an escalation).
        case overdue = "terlambat"

        private var order: Int {
            switch self {
            case .forwarded: 0
            case .twoDaysLeft: 1
            case .overdue: 2
            }
        }

        public static func < (lhs: CaseStage, rhs: CaseStage) -> Bool { lhs.order < rhs.order }
    }

    /// The latest notice stage reached on `today` for a case forwarded on `forwardedOn` and due on `dueOn`.
    public static func caseStage(
        on today: CalendarDate, forwardedOn: CalendarDate, dueOn: CalendarDate, calendar: WorkingCalendar
    ) -> CaseStage? {
        guard forwardedOn <= today else { return nil }
        if today > dueOn { return .overdue }
        if calendar.workingDays(after: today, through: dueOn) <= 2 { return .twoDaysLeft }
        return .forwarded
    }

    /// Whether a line submitted to Setnas on `submittedOn` has waited for its verifikator longer than `days`.
    public static func verificationIsWaiting(
        submittedOn: CalendarDate, today: CalendarDate, longerThan days: Int
    ) -> Bool {
        submittedOn.adding(days: days) < today
    }
}

/// What makes a reminder the same reminder: sent once per subject, recipient, deadline and stage.
public struct ReminderKey: Hashable, Sendable, CustomStringConvertible {
    public let stage: String
    public let subject: String
    public let recipientID: Int
    public let deadline: CalendarDate

    public init(stage: String, subject: String, recipientID: Int, deadline: CalendarDate) {
        self.stage = stage
        self.subject = subject
        self.recipientID = recipientID
        self.deadline = deadline
    }

    /// One string, for a unique column.
    public var description: String { "\(self.stage)|\(self.subject)|\(self.recipientID)|\(self.deadline.iso)" }
}
