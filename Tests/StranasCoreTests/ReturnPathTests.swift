import Testing

@testable import StranasCore

@Suite("Return paths stay on this site")
struct ReturnPathTests {
    @Test(
        "paths on this site are followed as they are",
        arguments: ["/", "/aksi/5?periode=2021-2022", "/laporan/baris/12#diskusi", "/instansi/3?a=b&c=%2F%2Fx"])
    func localPaths(_ path: String) {
        #expect(ReturnPath.local(path) == path)
    }

    @Test(
        "anything a browser could turn into another origin falls back to the home page",
        arguments: [
            "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example",
            "/\\evil.example", "\\\\evil.example", "https://evil.example", "http:/evil.example", "javascript:alert(1)",
            "evil.example", "", " /x", "/ /evil.example", "/\u{0}/evil", "/\u{7F}x", "/\u{85}/evil",
            "/\u{A0}/evil.example", "/\u{2028}/evil", "/\u{3000}/evil",
        ])
    func foreignTargets(_ candidate: String) {
        #expect(ReturnPath.local(candidate) == "/")
    }

    @Test("no value and an overlong value both lead home")
    func missingOrHuge() {
        #expect(ReturnPath.local(nil) == "/")
        #expect(ReturnPath.local("/" + String(repeating: "a", count: 5_000)) == "/")
    }
}
