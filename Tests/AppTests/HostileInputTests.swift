import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// In the spirit of the access matrix: every route that takes input, as anonymous and as every role, with values
/// from every class an attacker tries. The server answers each with a 4xx and a page or JSON, never a 5xx, and a line
/// saved before is unchanged afterwards.
@Suite("Hostile input on every route, as every role", .serialized)
struct HostileInputTests {
    /// Values for fields and query parameters: huge, not-a-number, negative, overlong, control characters, invalid
    /// UTF-8 (sent percent-encoded), other scripts' digits, wrong types and injection attempts.
    static let values: [String] = [
        "100000000000000000000", "1.7976931348623157e308", "NaN", "-inf", "-1", "-0", "0x1p3", "１２３", "1.250,5",
        String(repeating: "9", count: 400), String(repeating: "x", count: 5_000), "\u{0}\u{1}\u{8}\u{1B}\u{7F}",
        "\u{202E}gnp.exe", "\r\nSet-Cookie: x=1", "[]", "{\"a\":1}", "' OR 1=1 --", "<script>alert(1)</script>",
        "/\t/evil.example", "",
    ]
    /// Values for path parameters, percent-encoded where needed.
    static let pathValues = ["1", "0", "-1", "99999999999999999999", "abc", "%00", "%FF%FE", "..%2F..%2Fetc"]
    /// Invalid UTF-8 and a lone surrogate, as a form body's bytes would carry them.
    static let rawValues = ["%FF%FE%FD", "%ED%A0%80", "%C0%AF"]

    /// Every field name the portal's forms use, read from the templates, so that a new form is covered by itself.
    static func fieldNames(_ app: Application) throws -> [String] {
        let directory = app.directory.resourcesDirectory + "Views"
        var names = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".leaf") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            let expression = try NSRegularExpression(pattern: #"name="([A-Za-z_\[\]]+)""#)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        names.remove("_csrf")
        return names.sorted()
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test("every route × every role × every class of value: a 4xx or a page, never a 5xx; saved lines unchanged")
    func everyRouteEveryRoleEveryValue() async throws {
        try await withJagaApp { app in
            // setup: a saved line whose content must survive, and one browser per role and an anonymous one
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "3", narasi: "Tetap utuh.")
            let saved = try #require(
                try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            var browsers: [(String, TestBrowser)] = [("publik", TestBrowser(app))]
            for role in Role.allCases {
                let account = try await makeAccount([role], instansi: role.belongsToInstansi ? aceh : nil, on: app)
                var browser = TestBrowser(app)
                _ = try await browser.signIn(account.email, account.password, totpSecret: account.totpSecret)
                browsers.append((role.rawValue, browser))
            }
            let names = try Self.fieldNames(app)
            // Signing out ends the browser's session, which the rest of the run needs.
            let routes = app.routes.all.filter { AccessMatrixTests.key($0) != "POST /keluar" }

            // MUT: each route as each role that may call it (public routes: anonymous and a Unit Teknis)
            var failures: [String] = []
            var count = 0
            var tokens: [String: String] = [:]
            for index in browsers.indices {
                let name = browsers[index].0
                tokens[name] = try await browsers[index].1.csrfToken(from: name == "publik" ? "/masuk" : "/beranda")
            }
            for route in routes {
                let callers = browsers.indices.filter { index in
                    guard let permission = route.requiredPermission else {
                        return ["publik", Role.unitTeknis.rawValue].contains(browsers[index].0)
                    }
                    return Role(rawValue: browsers[index].0).map {
                        AccessPolicy.permissions(of: $0).contains(permission)
                    } ?? false
                }
                func path(_ hostile: String?) -> String {
                    let built = route.path.map { component -> String in
                        guard case .parameter(let parameter) = component else { return component.description }
                        if let hostile { return hostile }
                        switch parameter {
                        case "target": return String(cast.targetID)
                        case "kode", "cycle": return "2021-2022"
                        default: return "1"
                        }
                    }.joined(separator: "/")
                    return "/" + built
                }
                let hasParameters = route.path.contains { if case .parameter = $0 { true } else { false } }
                let inputs = route.method == .POST ? Self.values + Self.rawValues : Self.values
                var requests: [(String, String)] = inputs.map { (path(nil), $0) }
                if hasParameters { requests += Self.pathValues.map { (path($0), "1") } }
                for index in callers {
                    var browser = browsers[index].1
                    defer { browsers[index].1 = browser }
                    let token = tokens[browsers[index].0] ?? ""
                    for (target, value) in requests {
                        let encoded = Self.rawValues.contains(value) ? value : Self.encode(value)
                        let page: TestBrowser.Page
                        if route.method == .POST {
                            let fields = names.map { "\(Self.encode($0))=\(encoded)" }.joined(separator: "&")
                            page = try await browser.postRaw(target, body: "_csrf=\(token)&" + fields)
                        } else {
                            let query = names.prefix(40).map { "\(Self.encode($0))=\(encoded)" }
                            page = try await browser.get(target + "?" + query.joined(separator: "&"))
                        }
                        count += 1
                        if page.status.code >= 500 {
                            failures.append(
                                "\(browsers[index].0) \(route.method.rawValue) \(target) «\(value.prefix(20))» "
                                    + "→ \(page.status.code)")
                        }
                    }
                }
            }

            // validate
            #expect(failures.isEmpty, "\(failures.prefix(20))")
            #expect(count > 2_000)
            // The line may have moved on by a step its roles may take (sent, returned), but what it says is intact.
            let after = try #require(try await ReportLine.find(saved.id, on: app.db))
            #expect(after.capaian == 3 && after.narasi == "Tetap utuh.")
            let versions = try await ReportVersion.query(on: app.db).filter(\.$line.$id == saved.requireID()).all()
            #expect(versions.allSatisfy { $0.capaian == 3 && $0.narasi == "Tetap utuh." })
            #expect((try? await AuditTrail(database: app.db, clock: app.clock).verify().get()) != nil)
            print(
                "Hostile input: \(routes.count) routes, \(browsers.count) callers (the public and every role), "
                    + "\(count) requests.")
        }
    }
}

extension TestBrowser {
    /// Posts a form body exactly as given, already encoded (for bytes no string holds, such as invalid UTF-8).
    mutating func postRaw(_ path: String, body: String) async throws -> Page {
        try await self.postEncoded(path, body: Data(body.utf8))
    }
}
