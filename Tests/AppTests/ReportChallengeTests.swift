import Crypto
import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("When many reports arrive, /lapor asks for a small proof of work instead of closing", .serialized)
struct ReportChallengeTests {
    /// The number a browser's script finds for `challenge`.
    static func solve(_ challenge: String) -> String {
        let bits = Int(challenge.split(separator: ".")[3])!
        for number in 0..<10_000_000 {
            let digest = Array(SHA256.hash(data: Data("\(challenge):\(number)".utf8)))
            if ProofOfWork.leadingZeroBits(digest) >= bits { return String(number) }
        }
        return ""
    }

    @Test("past a hundred reports an hour a report needs a solved challenge; the text stays; a challenge works once")
    func proofOfWorkPastTheThreshold() async throws {
        try await withJagaApp { app in
            // setup: a hundred reports this hour, from a hundred clients
            for client in 0..<ProofOfWork.reportsPerHourBeforeAsking {
                _ = app.reportSubmissions.admit("klien-\(client)", now: app.clock.now())
            }
            var visitor = TestBrowser(app)
            let form = try await visitor.get("/lapor")
            let challenge = try #require(firstCapture(#"name="tantangan" value="([^"]+)""#, in: form.html))
            #expect(form.html.contains("banyak laporan masuk"))
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))
            let fields = [("_csrf", token), ("instansi", "1"), ("isi", PublicCaseTests.body)]
            // MUT and validate: without an answer, the form comes back with the text and a fresh challenge
            let refused = try await visitor.postMultipart(
                "/lapor", fields: fields + [("tantangan", challenge)], files: [])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.html.contains("peramban Anda perlu mengerjakan teka-teki kecil"))
            #expect(refused.html.contains("uang pelicin"))
            #expect(refused.html.contains(#"name="tantangan""#))
            // A wrong answer and a forged challenge are refused too.
            let forged = "1.\(Int(app.clock.now().timeIntervalSince1970)).abc.16.0000"
            for (given, answer) in [(challenge, "1"), (forged, Self.solve(forged))] {
                let page = try await visitor.postMultipart(
                    "/lapor", fields: fields + [("tantangan", given), ("jawaban", answer)], files: [])
                #expect(page.status == .tooManyRequests)
            }
            // The solved challenge is accepted once.
            let answer = Self.solve(challenge)
            let sent = try await visitor.postMultipart(
                "/lapor", fields: fields + [("tantangan", challenge), ("jawaban", answer)], files: [])
            #expect(sent.status == .created)
            let again = try await visitor.postMultipart(
                "/lapor", fields: fields + [("tantangan", challenge), ("jawaban", answer)], files: [])
            #expect(again.status == .tooManyRequests)
            #expect(try await PublicCase.query(on: app.db).count() == 1)
        }
    }

    @Test("below the threshold the form asks for nothing")
    func noProofWhenQuiet() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let form = try await visitor.get("/lapor")
            #expect(!form.html.contains(#"name="tantangan""#))
            #expect(form.html.contains(#"<script src="/js/proof-of-work.js" defer></script>"#))
        }
    }
}
