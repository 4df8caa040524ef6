import Testing

@testable import StranasCore

@Suite("The report line state machine")
struct ReportWorkflowTests {
    /// The rules as the product describes them, written out once more by hand: action, from, to, and who.
    static let rules: [(ReportAction, ReportState, ReportState, Set<Role>)] = [
        (.save, .draft, .draft, [.unitTeknis]),
        (.save, .returned, .returned, [.unitTeknis]),
        (.submitForReview, .draft, .review, [.unitTeknis]),
        (.submitForReview, .returned, .review, [.unitTeknis]),
        (.withdraw, .review, .draft, [.unitTeknis]),
        (.withdraw, .reviewed, .draft, [.unitTeknis]),
        (.approveReview, .review, .reviewed, [.adminInstansi, .focalPoint]),
        (.sendBack, .review, .draft, [.adminInstansi, .focalPoint]),
        (.sendBack, .reviewed, .draft, [.adminInstansi, .focalPoint]),
        (.submitToSetnas, .reviewed, .submitted, [.focalPoint]),
        (.resubmit, .returned, .submitted, [.unitTeknis, .focalPoint]),
        (.accept, .submitted, .accepted, [.verifikatorSetnas]),
        (.return, .submitted, .returned, [.verifikatorSetnas]),
    ]
    static let instansiActions: Set<ReportAction> = [
        .save, .submitForReview, .withdraw, .approveReview, .sendBack, .submitToSetnas, .resubmit,
    ]

    @Test(
        "every state × every action × every role, unlocked and locked, gives exactly the transitions of the rules",
        arguments: ReportState.allCases)
    func exhaustive(_ state: ReportState) {
        for action in ReportAction.allCases {
            for role in Role.allCases {
                for isLocked in [false, true] {
                    let result = ReportWorkflow.transition(from: state, action, by: [role], isLocked: isLocked)
                    let expected: Result<ReportState, ReportWorkflow.Refusal>
                    if action == .reopen {
                        expected =
                            role != .adminSetnas
                            ? .failure(.notAllowed(.reopen)) : isLocked ? .success(state) : .failure(.notLocked)
                    } else if let rule = Self.rules.first(where: { $0.0 == action && $0.1 == state }) {
                        if !rule.3.contains(role) {
                            expected = .failure(.notAllowed(action))
                        } else if isLocked && Self.instansiActions.contains(action) {
                            expected = .failure(.locked)
                        } else {
                            expected = .success(rule.2)
                        }
                    } else {
                        let anyoneMay = Self.rules.filter { $0.0 == action }.contains { $0.3.contains(role) }
                        expected = anyoneMay ? .failure(.notFromState(state, action)) : .failure(.notAllowed(action))
                    }
                    #expect(result == expected, "\(state) \(action) \(role) locked=\(isLocked)")
                }
            }
        }
    }

    @Test("an accepted line is final: no action by anyone moves it, locked or not")
    func acceptedIsFinal() {
        for action in ReportAction.allCases {
            for role in Role.allCases {
                for isLocked in [false, true] {
                    let result = ReportWorkflow.transition(from: .accepted, action, by: [role], isLocked: isLocked)
                    if case .success(let next) = result { #expect(next == .accepted, "\(action) by \(role)") }
                }
            }
        }
    }

    @Test("the buttons a page offers are the actions that would succeed")
    func available() {
        #expect(
            ReportWorkflow.available(from: .draft, to: [.unitTeknis], isLocked: false) == [.save, .submitForReview])
        #expect(
            ReportWorkflow.available(from: .returned, to: [.unitTeknis], isLocked: false) == [
                .save, .submitForReview, .resubmit,
            ])
        #expect(
            ReportWorkflow.available(from: .review, to: [.adminInstansi, .focalPoint], isLocked: false) == [
                .approveReview, .sendBack,
            ])
        #expect(
            ReportWorkflow.available(from: .reviewed, to: [.focalPoint], isLocked: false) == [
                .sendBack, .submitToSetnas,
            ])
        #expect(ReportWorkflow.available(from: .reviewed, to: [.unitTeknis], isLocked: false) == [.withdraw])
        #expect(ReportWorkflow.available(from: .draft, to: [.focalPoint], isLocked: false).isEmpty)
        #expect(
            ReportWorkflow.available(from: .submitted, to: [.verifikatorSetnas], isLocked: true) == [.accept, .return])
        #expect(ReportWorkflow.available(from: .draft, to: [.unitTeknis], isLocked: true).isEmpty)
        #expect(ReportWorkflow.available(from: .draft, to: [.adminSetnas], isLocked: true) == [.reopen])
    }

    @Test("sending a line back needs a reason, as returning it does; approving and withdrawing need none")
    func reasons() {
        let short = String(repeating: "x", count: TargetRevisionPolicy.minimumReasonLength - 1)
        let enough = String(repeating: "x", count: TargetRevisionPolicy.minimumReasonLength)
        for action in [ReportAction.sendBack, .return, .reopen] {
            #expect(ReportWorkflow.missing(for: action, capaian: 1, note: short, verifiedValue: nil) == .reason)
            #expect(ReportWorkflow.missing(for: action, capaian: 1, note: enough, verifiedValue: nil) == nil)
        }
        for action in [ReportAction.approveReview, .withdraw, .save] {
            #expect(ReportWorkflow.missing(for: action, capaian: nil, note: "", verifiedValue: nil) == nil)
        }
        #expect(ReportWorkflow.missing(for: .submitToSetnas, capaian: nil, note: "", verifiedValue: nil) == .capaian)
    }

    @Test("a line locks after the lock day and opens again while reopened")
    func locking() {
        let locks = CalendarDate(year: 2021, month: 4, day: 30)!
        let may1 = CalendarDate(year: 2021, month: 5, day: 1)!
        #expect(!ReportWorkflow.isLocked(today: locks, locksOn: locks, reopenedUntil: nil))
        #expect(ReportWorkflow.isLocked(today: may1, locksOn: locks, reopenedUntil: nil))
        #expect(!ReportWorkflow.isLocked(today: may1, locksOn: locks, reopenedUntil: may1))
        #expect(
            ReportWorkflow.isLocked(
                today: CalendarDate(year: 2021, month: 5, day: 2)!, locksOn: locks, reopenedUntil: may1))
    }

    @Test("a first submission on or before the due day is on time; after it, late")
    func timeliness() {
        let due = CalendarDate(year: 2021, month: 4, day: 15)!
        #expect(Timeliness.of(submittedOn: due, dueOn: due) == .onTime)
        #expect(Timeliness.of(submittedOn: CalendarDate(year: 2021, month: 4, day: 16)!, dueOn: due) == .late)
    }
}

@Suite("Adding days to calendar days")
struct CalendarDateArithmeticTests {
    @Test("days are added across month, year and leap-day boundaries, both ways")
    func adding() {
        let day = { (text: String) in CalendarDate(iso: text)! }
        #expect(day("2021-04-30").adding(days: 14) == day("2021-05-14"))
        #expect(day("2021-12-25").adding(days: 14) == day("2022-01-08"))
        #expect(day("2024-02-20").adding(days: 10) == day("2024-03-01"))
        #expect(day("2023-02-20").adding(days: 10) == day("2023-03-02"))
        #expect(day("2021-03-01").adding(days: -1) == day("2021-02-28"))
        #expect(day("2021-01-10").adding(days: -40) == day("2020-12-01"))
        #expect(day("2021-01-10").adding(days: 0) == day("2021-01-10"))
        #expect(day("2021-01-31").adding(days: 365) == day("2022-01-31"))
    }
}
