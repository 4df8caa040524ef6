import Foundation

/// The handling of a laporan penyimpangan (a report of misconduct or deviation), from the reporter's submission to
/// its end.
///
/// BARU → DIVERIFIKASI (Setnas checks it is in scope and complete) → DITERUSKAN (to the instansi's Focal Point) →
/// DITANGGAPI (the instansi's official answer) → SELESAI, when the reporter accepts the answer or 14 days pass without
/// a reply. Setnas may refuse a case (DITOLAK, with a reason the reporter sees) before it is forwarded. The reporter
/// may reopen an answered case once, with a reason, which sends it back to the instansi.
public enum CaseState: String, Sendable, Codable, CaseIterable {
    case baru
    case diverifikasi
    case diteruskan
    case ditanggapi
    case selesai
    case ditolak

    public var isClosed: Bool { self == .selesai || self == .ditolak }
}

public enum CaseAction: String, Sendable, Codable, CaseIterable {
    /// Setnas: in scope and complete.
    case verify
    /// Setnas: out of scope or unfounded, with a reason for the reporter.
    case reject
    /// Setnas: to the instansi's Focal Point, which then has 7 working days to answer.
    case forward
    /// The instansi's Focal Point: the official answer.
    case answer
    /// The reporter: the answer settles it.
    case accept
    /// The reporter, once: the answer does not settle it, with a reason; back to the instansi.
    case reopen
    /// Nobody: 14 days after the answer without a word from the reporter.
    case expire
}

/// Who acts on a case.
public enum CaseActor: String, Sendable, CaseIterable {
    case reporter
    case setnas
    case instansi
    case system
}

public enum CaseWorkflow {
    /// Days after the answer after which a case the reporter left alone is closed.
    public static let daysToAcceptAnswer = 14
    /// Working days the instansi has to answer a forwarded case.
    public static let workingDaysToAnswer = 7

    public enum Refusal: Error, Equatable, Sendable {
        /// The action does not apply in this state.
        case notNow
        /// This actor may not take it.
        case notYours
        /// A reason is required and missing.
        case reasonRequired
        /// The reporter has already reopened the case once.
        case alreadyReopened
    }

    public static func actor(of action: CaseAction) -> CaseActor {
        switch action {
        case .verify, .reject, .forward: .setnas
        case .answer: .instansi
        case .accept, .reopen: .reporter
        case .expire: .system
        }
    }

    /// The state after `action`, or why it is refused.
    public static func next(
        after action: CaseAction, from state: CaseState, by actor: CaseActor, reason: String?, reopenedBefore: Bool
    ) -> Result<CaseState, Refusal> {
        guard self.actor(of: action) == actor else { return .failure(.notYours) }
        let hasReason = !(reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch (action, state) {
        case (.verify, .baru): return .success(.diverifikasi)
        case (.reject, .baru), (.reject, .diverifikasi):
            return hasReason ? .success(.ditolak) : .failure(.reasonRequired)
        case (.forward, .diverifikasi): return .success(.diteruskan)
        case (.answer, .diteruskan): return hasReason ? .success(.ditanggapi) : .failure(.reasonRequired)
        case (.accept, .ditanggapi): return .success(.selesai)
        case (.reopen, .ditanggapi):
            guard !reopenedBefore else { return .failure(.alreadyReopened) }
            return hasReason ? .success(.diteruskan) : .failure(.reasonRequired)
        case (.expire, .ditanggapi): return .success(.selesai)
        default: return .failure(.notNow)
        }
    }
}
