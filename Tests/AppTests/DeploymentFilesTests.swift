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

    static func file(_ path: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func site() throws -> Site { try Site(Self.file("deploy/nginx.conf")) }

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
            #expect(uploadRoutes == 6)
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

    @Test("deploy/jaga.env.example, its CHANGE-ME filled in, is a production configuration for two nodes")
    func environmentExample() throws {
        var environment: [String: String] = [:]
        for line in try Self.file("deploy/jaga.env.example").split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1)
            try #require(parts.count == 2, "not NAME=value: \(line)")
            // As systemd's EnvironmentFile= and a shell both read it: surrounding double quotes are not the value's.
            environment[String(parts[0])] = String(parts[1]).trimmingCharacters(in: ["\""])
        }
        let filledIn: [String: String] = [
            "JAGA_SECRET_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
            "JAGA_METRICS_TOKEN": String(repeating: "ab", count: 24),
        ]
        for (name, value) in environment where value.contains("CHANGE-ME") {
            environment[name] = filledIn[name] ?? value.replacingOccurrences(of: "CHANGE-ME", with: "secret")
        }
        let config = try AppConfig.load(from: environment)
        #expect(config.mode == .production)
        guard case .postgres = config.database else { Issue.record("not PostgreSQL"); return }
        #expect(config.publicURL.hasPrefix("https://"))
        #expect(!config.trustedProxies.isEmpty)
        #expect(!config.runsJobs, "the timer runs the background work")
        #expect(config.mailServer?.sender.hasSuffix(">") == true)
        // systemd waits TimeoutStopSec= before it kills: the requests' bound and then the job's must fit in it.
        let unit = try Self.file("deploy/systemd/jaga.service")
        let timeout = try #require(unit.firstMatch(of: /\nTimeoutStopSec=(\d+)\n/).map { Int($0.1)! })
        #expect(2 * config.stopSeconds < timeout)
    }
}
