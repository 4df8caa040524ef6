import Foundation
import Testing

@testable import StranasCore

@Suite("The laporan penyimpangan state machine")
struct CaseWorkflowTests {
    /// The rules as the issue states them, written out once more by hand: action, from, to, who, and whether a
    /// reason is required.
    static let rules: [(CaseAction, CaseState, CaseState, CaseActor, Bool)] = [
        (.verify, .baru, .diverifikasi, .setnas, false),
        (.reject, .baru, .ditolak, .setnas, true),
        (.reject, .diverifikasi, .ditolak, .setnas, true),
        (.forward, .diverifikasi, .diteruskan, .setnas, false),
        (.answer, .diteruskan, .ditanggapi, .instansi, true),
        (.accept, .ditanggapi, .selesai, .reporter, false),
        (.reopen, .ditanggapi, .diteruskan, .reporter, true),
        (.expire, .ditanggapi, .selesai, .system, false),
    ]

    @Test("every state × action × actor, with and without a reason, gives exactly the transitions of the rules")
    func exhaustive() {
        for state in CaseState.allCases {
            for action in CaseAction.allCases {
                for actor in CaseActor.allCases {
                    for reason in [nil, "  ", "Bukti pungutan liar terlampir."] {
                        let result = CaseWorkflow.next(
                            after: action, from: state, by: actor, reason: reason, reopenedBefore: false)
                        let expected: Result<CaseState, CaseWorkflow.Refusal>
                        if let rule = Self.rules.first(where: { $0.0 == action && $0.1 == state }) {
                            if rule.3 != actor {
                                expected = .failure(.notYours)
                            } else if rule.4 && (reason ?? "").allSatisfy(\.isWhitespace) {
                                expected = .failure(.reasonRequired)
                            } else {
                                expected = .success(rule.2)
                            }
                        } else {
                            expected =
                                CaseWorkflow.actor(of: action) == actor ? .failure(.notNow) : .failure(.notYours)
                        }
                        #expect(result == expected, "\(action) from \(state) by \(actor), reason \(reason ?? "nil")")
                    }
                }
            }
        }
    }

    @Test("the reporter reopens an answered case once, not twice")
    func reopenOnce() {
        let first = CaseWorkflow.next(
            after: .reopen, from: .ditanggapi, by: .reporter, reason: "Jawaban tidak menjawab.", reopenedBefore: false)
        #expect(first == .success(.diteruskan))
        let second = CaseWorkflow.next(
            after: .reopen, from: .ditanggapi, by: .reporter, reason: "Masih belum.", reopenedBefore: true)
        #expect(second == .failure(.alreadyReopened))
        #expect(CaseState.selesai.isClosed && CaseState.ditolak.isClosed && !CaseState.ditanggapi.isClosed)
    }
}

@Suite("Indonesian working days")
struct WorkingCalendarTests {
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    @Test("weekdays of known days")
    func weekdays() {
        #expect(WorkingCalendar.weekday(of: Self.day("1970-01-01")) == 4)
        #expect(WorkingCalendar.weekday(of: Self.day("1969-12-28")) == 7)
        #expect(WorkingCalendar.weekday(of: Self.day("2000-02-29")) == 2)
        #expect(WorkingCalendar.weekday(of: Self.day("2021-04-05")) == 1)
        #expect(WorkingCalendar.weekday(of: Self.day("2024-12-25")) == 3)
        #expect(WorkingCalendar.weekday(of: Self.day("2026-11-30")) == 1)
    }

    @Test("seven working days from a Monday before Christmas run past the holidays and the new year")
    func yearEnd() {
        let calendar = WorkingCalendar(
            holidays: [Self.day("2024-12-25"), Self.day("2024-12-26"), Self.day("2025-01-01")])
        // Tue 24 (1), Fri 27 (2), Mon 30 (3), Tue 31 (4), Thu 2 (5), Fri 3 (6), Mon 6 (7).
        #expect(calendar.deadline(after: Self.day("2024-12-23"), workingDays: 7) == Self.day("2025-01-06"))
        #expect(calendar.workingDays(after: Self.day("2024-12-23"), through: Self.day("2025-01-06")) == 7)
        #expect(calendar.workingDays(after: Self.day("2024-12-23"), through: Self.day("2024-12-29")) == 2)
        #expect(calendar.workingDays(after: Self.day("2025-01-06"), through: Self.day("2024-12-23")) == 0)
        // Without the holidays the same week is shorter.
        #expect(
            WorkingCalendar(holidays: []).deadline(after: Self.day("2024-12-23"), workingDays: 7)
                == Self.day("2025-01-01"))
    }

    @Test("a case forwarded on a Friday before a week-long holiday is due after it and two weekends")
    func longHoliday() {
        let holidays = ["2025-03-31", "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07"]
        let calendar = WorkingCalendar(holidays: Set(holidays.map(Self.day)))
        #expect(!calendar.isWorkingDay(Self.day("2025-03-29")))
        #expect(!calendar.isWorkingDay(Self.day("2025-04-07")))
        #expect(calendar.isWorkingDay(Self.day("2025-04-08")))
        // Tue 8 (1), Wed 9, Thu 10, Fri 11, Mon 14, Tue 15, Wed 16 (7).
        #expect(calendar.deadline(after: Self.day("2025-03-28"), workingDays: 7) == Self.day("2025-04-16"))
        // On a Saturday the count starts on Monday.
        #expect(
            WorkingCalendar(holidays: []).deadline(after: Self.day("2025-05-10"), workingDays: 1)
                == Self.day("2025-05-12"))
    }

    @Test("a holiday list: dates with names and comments; other lines are named")
    func parsing() {
        let (calendar, bad) = WorkingCalendar.parse(
            """
            # Hari libur nasional dan cuti bersama
            2025-01-01,Tahun Baru Masehi
            2025-05-01, Hari Buruh

            2025-13-01,bulan ke-13
            besok
            2025-08-17 # Hari Kemerdekaan
            """)
        #expect(calendar.holidays == [Self.day("2025-01-01"), Self.day("2025-05-01"), Self.day("2025-08-17")])
        #expect(bad == [5, 6])
    }
}

@Suite("Receipt codes")
struct ReceiptCodeTests {
    struct Counting: RandomNumberGenerator {
        var state: UInt64 = 7
        mutating func next() -> UInt64 {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.state
        }
    }

    @Test("a code is twenty digits, shown in groups of four, and read back however it is typed")
    func roundTrip() throws {
        var generator = Counting()
        let code = ReceiptCode.make(using: &generator)
        #expect(code.digits.count == 20 && code.digits.allSatisfy(\.isNumber))
        #expect(code.grouped.split(separator: " ").map(\.count) == [4, 4, 4, 4, 4])
        #expect(ReceiptCode(typed: code.grouped) == code)
        #expect(ReceiptCode(typed: " " + code.digits + "\n") == code)
        let dashed = code.grouped.replacingOccurrences(of: " ", with: "-")
        #expect(ReceiptCode(typed: dashed) == code)
        #expect(ReceiptCode.make(using: &generator) != code)
    }

    @Test(
        "anything that is not twenty digits is not a code",
        arguments: [
            "", "1234", "1234 5678 9012 3456 789", "1234 5678 9012 3456 78901", "1234 5678 9012 3456 789a",
            "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠", "<script>1234567890</script>1234567890",
        ])
    func notACode(_ text: String) {
        #expect(ReceiptCode(typed: text) == nil)
    }
}
