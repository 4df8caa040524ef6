/// Reporting discipline: whether an instansi reports what is due, on time, right the first time, and how long
/// Setnas takes to verify.
public enum Discipline {
    /// One report line as discipline sees it.
    public struct Line: Sendable {
        /// The triwulan's due day.
        public let dueOn: CalendarDate
        /// Whether the target asks anything (a target of 0 is not due).
        public let asksSomething: Bool
        /// Whether its first submission to Setnas was on time; nil when it has not reached Setnas.
        public let submission: Timeliness?
        /// How many times Setnas returned it.
        public let returns: Int
        /// Days from each submission to the decision on it (accept or return).
        public let daysToVerify: [Double]

        public init(
            dueOn: CalendarDate, asksSomething: Bool, submission: Timeliness?, returns: Int, daysToVerify: [Double]
        ) {
            self.dueOn = dueOn
            self.asksSomething = asksSomething
            self.submission = submission
            self.returns = returns
            self.daysToVerify = daysToVerify
        }
    }

    public struct Summary: Equatable, Sendable {
        /// Lines whose due day has passed and whose target asks something.
        public var due = 0
        /// Of those, lines that reached Setnas by the due day.
        public var reportedByDue = 0
        /// Lines that reached Setnas at all (whenever), and those of them on time.
        public var submitted = 0
        public var onTime = 0
        public var returns = 0
        /// The median of the days Setnas took to decide, over every decision.
        public var medianDaysToVerify: Double?

        public init() {}

        /// Lines reported by the due date over lines due; nil when nothing is due yet.
        public var completeness: Double? { self.due > 0 ? Double(self.reportedByDue) / Double(self.due) : nil }
        /// On-time submissions over submissions; nil when nothing was submitted.
        public var onTimeRate: Double? { self.submitted > 0 ? Double(self.onTime) / Double(self.submitted) : nil }
    }

    public static func summarize(_ lines: [Line], today: CalendarDate) -> Summary {
        var summary = Summary()
        var days: [Double] = []
        for line in lines where line.asksSomething {
            if line.dueOn < today {
                summary.due += 1
                if line.submission == .onTime { summary.reportedByDue += 1 }
            }
            if let submission = line.submission {
                summary.submitted += 1
                if submission == .onTime { summary.onTime += 1 }
            }
            summary.returns += line.returns
            days += line.daysToVerify
        }
        summary.medianDaysToVerify = self.median(days)
        return summary
    }

    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
