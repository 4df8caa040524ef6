import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Language", .serialized)
struct LanguageTests {
    @Test("the switch sets the language cookie and returns to the page")
    func switchesAndReturns() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/bahasa/en?kembali=/aksi/5%3Fperiode%3D2021-2022") { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/aksi/5?periode=2021-2022")
                let cookie = try #require(response.headers.setCookie?[Request.languageCookie])
                #expect(cookie.string == "en")
                #expect(cookie.isHTTPOnly)
                #expect(cookie.sameSite == .lax)
            }
        }
    }

    @Test("with English chosen, pages, numbers and dates are in English")
    func englishPages() async throws {
        try await withJagaApp { app in
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: (Request.languageCookie, .init(string: "en")))
            try await app.testing().test(.GET, "/aksi/5", headers: headers) { response in
                #expect(response.html.contains("<html lang=\"en\">"))
                #expect(response.html.contains("Action 5"))
                #expect(response.html.contains("<th scope=\"col\">Q1 2021</th>"))
                #expect(response.html.contains("Bahasa Indonesia</a>"))
                #expect(!response.html.contains("Dikoordinasikan oleh"))
            }
            try await app.testing().test(.GET, "/", headers: headers) { response in
                #expect(
                    response.html.contains(
                        "<td>1 January – 31 March 2021</td><td>1 March 2021</td><td>15 April 2021</td>"))
            }
            try await app.testing().test(.GET, "/instansi?jenis=nope", headers: headers) { response in
                #expect(response.status == .badRequest)
                #expect(response.html.contains("Institution type &quot;nope&quot; is unknown"))
            }
        }
    }

    @Test(
        "the switch never sends the reader to another site",
        arguments: [
            "//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "",
            "/\t/evil.example", "/\n/evil.example", "\t//evil.example", "/\r\n/evil.example",
        ])
    func openRedirect(target: String) async throws {
        try await withJagaApp(seeded: false) { app in
            let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            try await app.testing().test(.GET, "/bahasa/id?kembali=\(encoded)") { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/")
            }
        }
    }

    @Test("an unknown language is a 404 page; a forged cookie falls back to Indonesian")
    func unknownLanguage() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/bahasa/fr") { response in
                #expect(response.status == .notFound)
                #expect(response.html.contains("Bahasa ini tidak tersedia"))
            }
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: (Request.languageCookie, .init(string: "xx")))
            try await app.testing().test(.GET, "/", headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.html.contains("<html lang=\"id\">"))
            }
        }
    }

    @Test("both locale catalogs hold every key a template or controller uses")
    func catalogsAreComplete() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let catalog = try LocaleCatalog.load(directory: root.appendingPathComponent("Resources/Locales").path)
        var used = Set<String>()
        let pattern = try NSRegularExpression(pattern: #"(?:#t|\bt|notFound|badRequest)\("([a-z_]+(?:\.[a-z0-9_]+)+)""#)
        for folder in ["Resources/Views", "Sources/App"] {
            let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)
            while let file = enumerator?.nextObject() as? String {
                guard file.hasSuffix(".leaf") || file.hasSuffix(".swift") else { continue }
                let text = try String(
                    contentsOf: root.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    used.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        #expect(used.count > 40)
        for key in used.sorted() { #expect(catalog.contains(key), "missing text key \(key)") }
        for number in 1...12 { #expect(catalog.contains("month.\(number)")) }
        for kind in InstansiKind.allCases { #expect(catalog.contains("instansi.kind.\(kind.rawValue)")) }
        for kind in IndicatorKind.allCases { #expect(catalog.contains("indicator.kind.\(kind.rawValue)")) }
        for role in PelaksanaRole.allCases { #expect(catalog.contains("role.\(role.rawValue)")) }
    }

    @Test("every key a page builds from a value exists in both catalogs, for every value")
    func keysBuiltFromValues() throws {
        let catalog = try LocaleCatalog.load(
            directory: SourceTree.root.appendingPathComponent("Resources/Locales").path)
        func family<T: RawRepresentable>(_ prefix: String, _ values: [T], parts: [String] = [""]) -> [String]
        where T.RawValue == String {
            values.flatMap { value in parts.map { "\(prefix).\(value.rawValue)\($0)" } }
        }
        let keys =
            family("audit.action", AuditAction.allCases) + family("role", Role.allCases)
            + family("role", PelaksanaRole.allCases) + family("report.state", ReportState.allCases) + [
                "report.state.none"
            ]
            + family("report.action", ReportAction.allCases) + family("report.timeliness", Timeliness.allCases)
            + family("case.state", CaseState.allCases) + family("case.step", CaseAction.allCases)
            + family("case.author", PublicCaseMessage.Author.allCases) + family("input.kind", PublicInputKind.allCases)
            + family("input.state", PublicInputState.allCases)
            + family(
                "permission", Permission.allCases.filter { $0 != .useAccount }, parts: [".title", ".description"])
            + family("notices.topic", NoticeTopic.allCases) + family("jobs.state", Job.State.allCases)
            + family("jobs.kind", JobKind.all) + family("security.kind", SecurityEvent.Kind.allCases)
            + family("user.status", User.Status.allCases) + family("tree.level", PlanLevel.allCases)
            + family("instansi.history", InstansiChange.Kind.allCases)
            + family("notice.report", ReminderSchedule.ReportStage.allCases, parts: [".title", ".text"])
            + family("notice.case", ReminderSchedule.CaseStage.allCases, parts: [".title", ".text"])
        #expect(keys.count > 100)
        let missing = keys.filter { !catalog.contains($0) }
        #expect(missing.isEmpty, "missing text keys: \(missing.joined(separator: ", "))")
    }

    @Test("catalogs whose keys differ are refused at start-up")
    func differingCatalogs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("locales-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try #"{"a": "A", "b": "B"}"#.write(
            to: directory.appendingPathComponent("id.json"), atomically: true, encoding: .utf8)
        try #"{"a": "A"}"#.write(to: directory.appendingPathComponent("en.json"), atomically: true, encoding: .utf8)
        #expect(throws: LocaleCatalog.LoadError.self) { try LocaleCatalog.load(directory: directory.path) }
    }
}
