import Testing

@testable import StranasCore

@Suite("When a triwulan's results may be published")
struct ResultPublicationTests {
    let endsOn = CalendarDate(year: 2021, month: 3, day: 31)!
    let locksOn = CalendarDate(year: 2021, month: 4, day: 30)!
    let reason = "Rapat koordinasi nasional memerlukan angka sementara."

    @Test("not before the triwulan has ended, whatever the reason")
    func notEnded() {
        let lastDay = self.endsOn
        #expect(ResultPublication.readiness(today: lastDay, endsOn: self.endsOn, locksOn: self.locksOn) == .notEnded)
        #expect(
            ResultPublication.problem(today: lastDay, endsOn: self.endsOn, locksOn: self.locksOn, reason: self.reason)
                == .notEnded)
    }

    @Test("between the end and the lock only with a reason of a sentence")
    func beforeLock() {
        for today in [CalendarDate(year: 2021, month: 4, day: 1)!, self.locksOn] {
            #expect(
                ResultPublication.readiness(today: today, endsOn: self.endsOn, locksOn: self.locksOn) == .beforeLock)
            #expect(
                ResultPublication.problem(today: today, endsOn: self.endsOn, locksOn: self.locksOn, reason: "  cepat  ")
                    == .reasonRequired)
            #expect(
                ResultPublication.problem(today: today, endsOn: self.endsOn, locksOn: self.locksOn, reason: self.reason)
                    == nil)
        }
    }

    @Test("after the lock without a reason; a reason past the limit is refused anywhere")
    func locked() {
        let today = CalendarDate(year: 2021, month: 5, day: 1)!
        #expect(ResultPublication.readiness(today: today, endsOn: self.endsOn, locksOn: self.locksOn) == .locked)
        #expect(ResultPublication.problem(today: today, endsOn: self.endsOn, locksOn: self.locksOn, reason: "") == nil)
        let long = String(repeating: "a", count: ResultPublication.maximumReasonLength + 1)
        #expect(
            ResultPublication.problem(today: today, endsOn: self.endsOn, locksOn: self.locksOn, reason: long)
                == .reasonTooLong)
    }
}
