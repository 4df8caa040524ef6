/// Where a report line stands. Stored as readable text.
public enum ReportState: String, Sendable, CaseIterable, Codable {
    /// Being filled by the instansi; not yet sent anywhere.
    case draft
    /// Sent to the instansi's own review (Admin Instansi, Focal Point), waiting for it.
    case review
    /// Approved by the instansi's review: the Focal Point may submit it to Setnas.
    case reviewed
    /// Submitted to Setnas by the Focal Point, or resubmitted after a return; waiting for its verifikator.
    case submitted
    /// Verified by Setnas, with a verified value (diterima).
    case accepted
    /// Sent back by Setnas with a reason, to be fixed (perlu perbaikan).
    case returned
}

/// What someone can do to a report line.
public enum ReportAction: String, Sendable, CaseIterable, Codable {
    /// Save the line's content (and evidence) without sending it on.
    case save
    /// Send a draft, or a fixed line the instansi sent back, to the instansi's review.
    case submitForReview = "submit_for_review"
    /// The author (Unit Teknis) takes a line back from the instansi's review, to change it.
    case withdraw
    /// The Admin Instansi or Focal Point approves a line under review: it is ready for Setnas.
    case approveReview = "approve_review"
    /// The Admin Instansi or Focal Point sends a line under review, or reviewed, back to draft, with a note.
    case sendBack = "send_back"
    /// The Focal Point submits a reviewed line to Setnas.
    case submitToSetnas = "submit_to_setnas"
    /// Send a returned line, fixed, straight back to its verifikator (it has passed the instansi's review already).
    case resubmit
    /// The verifikator accepts the line with a verified value.
    case accept
    /// The verifikator returns the line with a reason.
    case `return`
    /// Admin Setnas reopens a locked line for the instansi, with a written reason.
    case reopen
}

/// The one place that decides which report line transitions exist and who may make them. Every page and API asks
/// it; nothing else changes a line's state.
///
/// After the triwulan's lock date a line is locked for the instansi: it can no longer be saved or sent, until Admin
/// Setnas reopens it. Setnas's own decisions (accept, return) stay possible, since verification follows the deadline.
public enum ReportWorkflow {
    public enum Refusal: Error, Equatable, Sendable {
        /// The action does not exist from this state.
        case notFromState(ReportState, ReportAction)
        /// The person's roles do not allow the action.
        case notAllowed(ReportAction)
        /// The line is locked for the instansi (past the lock date, not reopened).
        case locked
        /// Only a locked line can be reopened.
        case notLocked
    }

    /// Who may take each action.
    public static func roles(for action: ReportAction) -> Set<Role> {
        switch action {
        case .save, .submitForReview, .withdraw: [.unitTeknis]
        case .approveReview, .sendBack: [.adminInstansi, .focalPoint]
        case .submitToSetnas: [.focalPoint]
        case .resubmit: [.unitTeknis, .focalPoint]
        case .accept, .return: [.verifikatorSetnas]
        case .reopen: [.adminSetnas]
        }
    }

    /// The states each action leaves from, and where it goes.
    public static func target(of action: ReportAction, from state: ReportState) -> ReportState? {
        switch (action, state) {
        case (.save, .draft), (.save, .returned): state
        case (.submitForReview, .draft), (.submitForReview, .returned): .review
        case (.withdraw, .review), (.withdraw, .reviewed): .draft
        case (.approveReview, .review): .reviewed
        case (.sendBack, .review), (.sendBack, .reviewed): .draft
        case (.submitToSetnas, .reviewed): .submitted
        case (.resubmit, .returned): .submitted
        case (.accept, .submitted): .accepted
        case (.return, .submitted): .returned
        case (.reopen, _): state
        default: nil
        }
    }

    /// Actions the instansi takes, which the lock date stops.
    public static func isInstansiAction(_ action: ReportAction) -> Bool {
        switch action {
        case .save, .submitForReview, .withdraw, .approveReview, .sendBack, .submitToSetnas, .resubmit: true
        case .accept, .return, .reopen: false
        }
    }

    /// The state after `action`, or why it is refused. Scope (the person's own instansi, the verifikator's own aksi)
    /// is the caller's check; this decides state, role and lock.
    public static func transition(
        from state: ReportState, _ action: ReportAction, by roles: Set<Role>, isLocked: Bool
    ) -> Result<ReportState, Refusal> {
        guard !roles.isDisjoint(with: self.roles(for: action)) else { return .failure(.notAllowed(action)) }
        if action == .reopen { return isLocked ? .success(state) : .failure(.notLocked) }
        guard let next = self.target(of: action, from: state) else { return .failure(.notFromState(state, action)) }
        if isLocked && self.isInstansiAction(action) { return .failure(.locked) }
        return .success(next)
    }

    /// What the person can do to a line now, in a fixed order, for the buttons a page shows.
    public static func available(from state: ReportState, to roles: Set<Role>, isLocked: Bool) -> [ReportAction] {
        ReportAction.allCases.filter {
            if case .success = self.transition(from: state, $0, by: roles, isLocked: isLocked) { return true }
            return false
        }
    }

    /// Days a reopened line stays open for the instansi.
    public static let reopenDays = 14

    /// What an action needs that it was not given, whatever its entry point.
    public enum Missing: Equatable, Sendable {
        /// Sending a line on needs its capaian.
        case capaian
        /// Returning, sending back and reopening need a written reason of `TargetRevisionPolicy.minimumReasonLength`
        /// characters: the person the line goes back to must learn why.
        case reason
        /// Accepting needs the verified value.
        case verifiedValue
    }

    /// What `action` lacks, given the line's capaian after it, the note and the verified value sent with it.
    public static func missing(
        for action: ReportAction, capaian: Double?, note: String, verifiedValue: Double?
    ) -> Missing? {
        switch action {
        case .submitForReview, .submitToSetnas, .resubmit:
            capaian == nil ? .capaian : nil
        case .return, .sendBack, .reopen:
            note.count < TargetRevisionPolicy.minimumReasonLength ? .reason : nil
        case .accept:
            verifiedValue == nil ? .verifiedValue : nil
        case .save, .withdraw, .approveReview:
            nil
        }
    }

    /// Locked for the instansi: after the triwulan's lock day, unless reopened until today or later.
    public static func isLocked(today: CalendarDate, locksOn: CalendarDate, reopenedUntil: CalendarDate?) -> Bool {
        guard today > locksOn else { return false }
        if let reopenedUntil, today <= reopenedUntil { return false }
        return true
    }
}

/// Whether a line reached Setnas in time: its first submission to Setnas, on or before the due day (Jakarta).
public enum Timeliness: String, Sendable, Codable, CaseIterable {
    case onTime = "tepat_waktu"
    case late = "terlambat"

    public static func of(submittedOn day: CalendarDate, dueOn due: CalendarDate) -> Timeliness {
        day <= due ? .onTime : .late
    }
}
