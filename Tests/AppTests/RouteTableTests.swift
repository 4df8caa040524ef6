import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("One definition per URL", .serialized)
struct RouteTableTests {
    /// A path literal, a path appended to a value, or a link built onto an interpolated route: ways of writing a URL
    /// by hand. The Swift code's only paths are `SiteURL`'s.
    static let handWrittenURL = #""/[A-Za-z]|\+ "/[A-Za-z]|\\\(SiteURL\.[^"]*\)/"#
    /// In a template: a link to a path, or a path appended to a value.
    static let handWrittenLink = ##"(href|action|src|formaction)="/|="#\([^)]*\)/"##

    @Test("the routes the app registers are exactly SiteURL's, each once")
    func registeredRoutesAreTheDefinitions() async throws {
        try await withJagaApp { app in
            let registered = Set(
                app.routes.all.map { route in "/" + route.path.map(\.description).joined(separator: "/") })
            let defined = Set(SiteURL.all.map(\.template))
            #expect(registered.subtracting(defined).sorted() == [], "registered without a SiteURL")
            #expect(defined.subtracting(registered).sorted() == [], "defined but not registered")
            #expect(SiteURL.byName.count == SiteURL.all.count, "two routes share a name")
            #expect(Set(SiteURL.all.map(\.template)).count == SiteURL.all.count, "two names share a path")
        }
    }

    @Test("a link fills its parameters in order, encodes them, and adds its query and fragment")
    func linksFromDefinitions() {
        #expect(SiteURL.aksi(5) == "/aksi/5")
        #expect(SiteURL.home() == "/")
        #expect(
            SiteURL.indicator(5, "5.1.1", query: [("periode", "2021-2022"), ("wilayah", nil)])
                == "/aksi/5/indikator/5.1.1?periode=2021-2022")
        #expect(
            SiteURL.language("en", query: [("kembali", "/aksi/5?periode=2021-2022&x=1")])
                == "/bahasa/en?kembali=/aksi/5%3Fperiode%3D2021-2022%26x%3D1")
        #expect(SiteURL.planTree("2021-2022", fragment: "aksi-5") == "/setnas/periode/2021-2022/rencana#aksi-5")
        #expect(SiteURL.instansi("a b/c") == "/instansi/a%20b%2Fc")
        #expect(SiteURL.aksi.matches("/aksi/12") && !SiteURL.aksi.matches("/aksi/12/skor.csv"))
    }

    @Test("no Swift source outside SiteURL writes a URL by hand")
    func noHandWrittenURLsInSwift() throws {
        let files = try SourceTree.files(under: "Sources/App", ending: ".swift").filter {
            $0.path != "Sources/App/Routing/SiteURL.swift"
        }
        #expect(files.count > 100)
        let found = try SourceTree.matches(of: Self.handWrittenURL, in: files).filter { !$0.contains("///") }
        #expect(found.isEmpty, "URLs written by hand:\n\(found.joined(separator: "\n"))")
    }

    @Test("no template writes a path: links come from #url or finished URLs, and static files exist")
    func noHandWrittenLinksInTemplates() throws {
        let templates = try SourceTree.files(under: "Resources/Views", ending: ".leaf")
        #expect(templates.count > 30)
        var found: [String] = []
        let asset = try NSRegularExpression(pattern: ##"(?:href|src)="(/(?:css|js|images)/[^"#?]+)""##)
        for (path, text) in templates {
            // Static files are files, not routes: each must exist under Public/.
            for match in asset.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let file = String(text[Range(match.range(at: 1), in: text)!])
                if !FileManager.default.fileExists(atPath: SourceTree.root.appendingPathComponent("Public" + file).path)
                {
                    found.append("\(path): \(file) is not a file under Public/")
                }
            }
            let stripped = asset.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
            found += try SourceTree.matches(of: Self.handWrittenLink, in: [(path, stripped)])
        }
        #expect(found.isEmpty, "links written by hand:\n\(found.joined(separator: "\n"))")
    }

    @Test("every #url in a template names a route and gives it as many values as it takes")
    func templateLinksNameRoutes() throws {
        let call = try NSRegularExpression(pattern: #"#url\(((?:"[^"]*"|[^()"])*)\)"#)
        var calls = 0
        var problems: [String] = []
        for (path, text) in try SourceTree.files(under: "Resources/Views", ending: ".leaf") {
            for match in call.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                calls += 1
                let arguments = String(text[Range(match.range(at: 1), in: text)!])
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let name = arguments[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                guard let url = SiteURL.byName[name] else {
                    problems.append("\(path): no route is named \(name)")
                    continue
                }
                if arguments.count - 1 != url.parameterCount {
                    problems.append(
                        "\(path): #url(\"\(name)\") with \(arguments.count - 1) of \(url.parameterCount) values")
                }
            }
        }
        #expect(calls > 100)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the scans find a URL written by hand")
    func scansFindHandWrittenURLs() throws {
        let swift = [
            (
                path: "a.swift",
                text: #"let a = "/aksi/\(n)""# + "\n" + #"let b = base + "/json""# + "\n"
                    + #"let c = "\(SiteURL.users())/\(id)""# + "\n" + #"let d = SiteURL.aksi(5)"#
            )
        ]
        #expect(try SourceTree.matches(of: Self.handWrittenURL, in: swift).count == 3)
        let leaf = [
            (
                path: "a.leaf",
                text: ##"<a href="/dasbor">"## + "\n" + ##"<form action="#(base)/hapus">"## + "\n"
                    + ##"<a href="#url("dasbor")">"##
            )
        ]
        #expect(try SourceTree.matches(of: Self.handWrittenLink, in: leaf).count == 2)
    }
}
