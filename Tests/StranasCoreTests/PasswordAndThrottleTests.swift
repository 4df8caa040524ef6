import Foundation
import Testing

@testable import StranasCore

@Suite("Passwords and sign-in throttling")
struct PasswordAndThrottleTests {
    let policy = PasswordPolicy(commonPasswords: ["password", "Qwerty123", "123456789"])

    @Test("a password needs 8 to 128 characters and no particular mix of them")
    func length() {
        #expect(self.policy.problem(with: "pendek7", confirmation: "pendek7") == .tooShort)
        #expect(self.policy.problem(with: "delapan8", confirmation: "delapan8") == nil)
        #expect(self.policy.problem(with: "semuakecil", confirmation: "semuakecil") == nil)
        let long = String(repeating: "kata sandi ", count: 11)
        #expect(long.count > 64 && long.count <= 128)
        #expect(self.policy.problem(with: long, confirmation: long) == nil)
        let tooLong = String(repeating: "x", count: 129)
        #expect(self.policy.problem(with: tooLong, confirmation: tooLong) == .tooLong)
        // Characters as people see them, not bytes: seven accented letters are too short, eight are enough.
        #expect(self.policy.problem(with: "ñññññññ", confirmation: "ñññññññ") == .tooShort)
        #expect(self.policy.problem(with: "ññññññññ", confirmation: "ññññññññ") == nil)
    }

    @Test("common passwords are refused whatever their case")
    func common() {
        #expect(self.policy.problem(with: "PASSWORD", confirmation: "PASSWORD") == .common)
        #expect(self.policy.problem(with: "qwerty123", confirmation: "qwerty123") == .common)
    }

    @Test("the confirmation must match")
    func mismatch() {
        #expect(self.policy.problem(with: "kebun teh", confirmation: "kebun kopi") == .mismatch)
    }

    @Test("the word list reader skips its comment lines")
    func wordList() {
        let list = PasswordPolicy.commonPasswords(fromList: "#!comment: source\n123456\n\npassword\n")
        #expect(list == ["123456", "password"])
    }

    @Test("ten failures in 15 minutes block an account from that address until the oldest of them is 15 minutes old")
    func throttle() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let failures = (0..<10).map { start.addingTimeInterval(Double($0) * 30) }
        let throttle = SignInThrottle.perAccountFromAddress
        #expect(throttle.blockedUntil(failures: Array(failures.prefix(9)), now: start.addingTimeInterval(300)) == nil)
        let until = throttle.blockedUntil(failures: failures, now: start.addingTimeInterval(300))
        #expect(until == start.addingTimeInterval(15 * 60))
        #expect(throttle.blockedUntil(failures: failures, now: start.addingTimeInterval(15 * 60)) == nil)
    }

    @Test("an account from one address can never take more than 100 failures in an hour")
    func hourlyCeiling() {
        let throttle = SignInThrottle.perAccountFromAddress
        var failures: [Date] = []
        var now = Date(timeIntervalSince1970: 1_700_000_000)
        let end = now.addingTimeInterval(3600)
        // An attacker who tries every second whenever allowed.
        while now < end {
            if throttle.blockedUntil(failures: failures, now: now) == nil { failures.append(now) }
            now.addTimeInterval(1)
        }
        #expect(failures.count <= 100)
        #expect(failures.count == 40)
    }

    @Test("from everywhere together an account only slows down: ten free failures, then 1 s, 2 s, 4 s … at most 15 min")
    func progressiveDelay() {
        let delay = SignInDelay.perAccount
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var failures = (0..<10).map { start.addingTimeInterval(Double($0)) }
        #expect(delay.blockedUntil(failures: Array(failures.prefix(9)), now: start.addingTimeInterval(9)) == nil)
        #expect(
            delay.blockedUntil(failures: failures, now: start.addingTimeInterval(9)) == start.addingTimeInterval(10))
        failures.append(start.addingTimeInterval(10))
        #expect(
            delay.blockedUntil(failures: failures, now: start.addingTimeInterval(10)) == start.addingTimeInterval(12))
        #expect(delay.blockedUntil(failures: failures, now: start.addingTimeInterval(12)) == nil)
        // An attacker who tries every second whenever allowed gets a few dozen guesses an hour, and the owner waits
        // at most the cap after the attack stops.
        var attempts: [Date] = []
        var now = start
        while now < start.addingTimeInterval(3_600) {
            if delay.blockedUntil(failures: attempts, now: now) == nil { attempts.append(now) }
            now.addTimeInterval(1)
        }
        #expect(attempts.count < 100)
        let last = attempts.last ?? start
        #expect((delay.blockedUntil(failures: attempts, now: now) ?? now) <= last.addingTimeInterval(15 * 60))
    }
}
