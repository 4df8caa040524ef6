import Foundation

/// When a triwulan's results may be frozen into the published report. Normally once its reporting window has locked,
/// so that no instansi can still change a line the report counts; between the end of the triwulan and the lock only
/// with a written reason, which goes on the public record beside the coverage at that moment; never before the
/// triwulan has ended, when there is nothing to report yet.
public enum ResultPublication {
    public enum Readiness: Equatable, Sendable {
        /// The triwulan has not ended: nothing can be published.
        case notEnded
        /// Ended, but instansi may still report until the lock: publishing needs a reason.
        case beforeLock
        /// The window has locked: the numbers are final.
        case locked
    }

    /// An early publication explains itself in a sentence, as a target revision does.
    public static let minimumReasonLength = TargetRevisionPolicy.minimumReasonLength
    public static let maximumReasonLength = TargetRevisionPolicy.maximumReasonLength

    public enum Problem: Equatable, Sendable {
        case notEnded
        case reasonRequired
        case reasonTooLong
    }

    public static func readiness(today: CalendarDate, endsOn: CalendarDate, locksOn: CalendarDate) -> Readiness {
        guard today > endsOn else { return .notEnded }
        return ReportWorkflow.isLocked(today: today, locksOn: locksOn, reopenedUntil: nil) ? .locked : .beforeLock
    }

    /// What stops a publication on `today` with this reason, or nil when it may go ahead.
    public static func problem(
        today: CalendarDate, endsOn: CalendarDate, locksOn: CalendarDate, reason: String
    ) -> Problem? {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > self.maximumReasonLength { return .reasonTooLong }
        switch self.readiness(today: today, endsOn: endsOn, locksOn: locksOn) {
        case .notEnded: return .notEnded
        case .beforeLock: return trimmed.count < self.minimumReasonLength ? .reasonRequired : nil
        case .locked: return nil
        }
    }
}
