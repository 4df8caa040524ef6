import Foundation
import Testing
import Vapor

@testable import App

/// `deploy/nginx.conf` agrees with the app it stands in front of: every body the app accepts gets through nginx (so
/// that a refusal is the app's page in the reader's language, not nginx's), and a reporter's requests are not logged.
@Suite("Deployment files")
struct DeploymentFilesTests {
    /// The HTTPS server block of deploy/nginx.conf: its own body limit and its locations, in order.
    struct Site {
        struct Location {
            let modifier: String  // "=", "~" or "" (a prefix)
            let pattern: String
            let bodyLimit: Int?
            let logsAccess: Bool
        }

        let bodyLimit: Int
        let locations: [Location]

        init(_ text: String) throws {
            let server = try #require(
                text.components(separatedBy: "\nserver {").first(where: { $0.contains("ssl_certificate ") }))
            func limit(in block: String) -> Int? {
                guard let match = block.firstMatch(of: /client_max_body_size (\d+)([km]?);/) else { return nil }
                let unit = ["k": 1024, "m": 1024 * 1024][String(match.2)] ?? 1
                return Int(match.1)! * unit
            }
            var locations: [Location] = []
            var outside = server
            for match in server.matches(of: /\n    location (?:(=|~) )?(\S+) \{\n((?:        .*\n)*)    \}/) {
                locations.append(
                    Location(
                        modifier: String(match.1 ?? ""), pattern: String(match.2),
                        bodyLimit: limit(in: String(match.3)), logsAccess: !match.3.contains("access_log off;")))
                outside = outside.replacingOccurrences(of: String(match.0), with: "")
            }
            self.bodyLimit = try #require(limit(in: outside))
            self.locations = locations
        }

        /// The location nginx picks for a path: an exact match, else the first matching regular expression, else
        /// the longest prefix.
        func location(for path: String) throws -> Location {
            if let exact = self.locations.first(where: { $0.modifier == "=" && $0.pattern == path }) { return exact }
            if let pattern = try self.locations.first(where: {
                try $0.modifier == "~"
                    && path.wholeMatch(of: Regex($0.pattern.trimmingCharacters(in: ["^", "$"]))) != nil
            }) {
                return pattern
            }
            return try #require(
                self.locations.filter { $0.modifier.isEmpty && path.hasPrefix($0.pattern) }
                    .max(by: { $0.pattern.count < $1.pattern.count }))
        }
    }

    static func site() throws -> Site {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try Site(String(contentsOf: root.appendingPathComponent("deploy/nginx.conf"), encoding: .utf8))
    }

    /// A path of the route with each parameter filled in.
    static func example(of route: Route) -> String {
        "/"
            + route.path.map { component in if case .constant(let text) = component { text } else { "1" } }
            .joined(separator: "/")
    }

    @Test("every route's largest body passes nginx's limit for its location, at the default upload limit")
    func bodyLimits() async throws {
        let site = try Self.site()
        try await withJagaApp(seeded: false) { app in
            #expect(app.config.uploadLimitBytes == 20 * 1024 * 1024)
            let textLimit = max(app.routes.defaultMaxBodySize.value, NulCharacterGuard.largestTextBody)
            var uploadRoutes = 0
            for route in app.routes.all where route.method == .POST {
                let path = Self.example(of: route)
                let nginxLimit = try site.location(for: path).bodyLimit ?? site.bodyLimit
                if let upload = route.uploadLimit {
                    uploadRoutes += 1
                    #expect(
                        upload <= nginxLimit, "POST \(path) takes \(upload) bytes; nginx lets \(nginxLimit) through")
                } else {
                    #expect(textLimit <= nginxLimit, "POST \(path): nginx lets only \(nginxLimit) bytes through")
                }
            }
            #expect(uploadRoutes == 5)
        }
    }

    @Test("a report and its tracking leave no line in nginx's access log")
    func reporterNotLogged() throws {
        let site = try Self.site()
        for path in [SiteURL.report(), SiteURL.track(), SiteURL.trackAction("balas")] {
            #expect(try !site.location(for: path).logsAccess, "\(path) is logged")
        }
        #expect(try site.location(for: SiteURL.home()).logsAccess)
    }
}
