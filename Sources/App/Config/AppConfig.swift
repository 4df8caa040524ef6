import Foundation
import StranasCore

/// Everything the app reads from its environment, read once at start-up and validated before anything else runs.
///
/// The variables are documented in `docs/CONFIGURATION.md`; keep the two in step.
public struct AppConfig: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable {
        case development
        case production
    }

    public enum Database: Sendable, Equatable {
        /// The embedded default: one SQLite file in the data directory.
        case sqlite(path: String)
        /// A private in-memory SQLite database, for tests.
        case sqliteInMemory
        /// PostgreSQL, from a `postgres://` or `postgresql://` URL.
        case postgres(url: String)
    }

    public var dataDirectory: String
    public var database: Database
    public var hostname: String
    public var port: Int
    public var mode: Mode
    /// The address people reach the portal at, without a trailing slash; links in e-mails start with it.
    public var publicURL: String
    /// Addresses of the reverse proxies or load balancers in front of the app. Only requests from these may say,
    /// in `X-Forwarded-For`, which client they carry; everyone else is taken at their own address.
    public var trustedProxies: Set<String> = []
    /// The largest evidence file accepted, in bytes.
    public var uploadLimitBytes: Int = 20 * 1024 * 1024
    /// Memory for rendered public pages served to visitors without a session (`PageCache`); 0 turns the cache off.
    public var pageCacheBytes: Int = 64 * 1024 * 1024
    /// The shortest time between two renders of one cached page while changes keep coming: in between, readers get
    /// the version before the change. So a public number shows a change within this many seconds, and a page that
    /// changes ten times a second is rendered once per interval, not ten times.
    public var pageRefreshSeconds: Int = 2
    /// The secret key (32 bytes, base64) that seals laporan penyimpangan and keys receipt-code hashes; on SQLite,
    /// when unset, one is generated into the data directory (`SealingKey`).
    public var secretKey: String?
    /// A file of Indonesian holidays and cuti bersama (one ISO date per line), for working-day deadlines; the shipped
    /// list when unset.
    public var holidaysFile: String?
    /// A fixed "today" for demonstrations and browser tests (development only): the portal behaves as on that day in
    /// Jakarta, its clock starting at 09:00 and running on from there.
    public var fixedToday: String?
    /// The SMTP server that delivers the outbox; nil keeps every message in the outbox (readable by Admin Setnas in
    /// development).
    public var mailServer: MailServer?
    /// Whether `jaga serve` runs the background runner itself (`JAGA_JOBS`); off when `jaga jobs run` runs from cron.
    public var runsJobs = true
    /// Seconds between the in-process runner's looks for due work.
    public var jobPollSeconds = 10
    /// A line waiting for its verifikator longer than this many days brings the verifikator a reminder.
    public var verificationReminderDays = 5
    /// The longest `/readyz` waits for each check (`Readiness`). Two seconds in service; the test suite widens it
    /// where it asks only whether a database that answers is ready, on a machine busy with parallel tests.
    public var readinessBound: Duration = .seconds(2)
    /// The free space the data directory keeps, in megabytes: below it the portal refuses changes (a 503 that keeps
    /// what was typed) and `/readyz` fails, before the disk fills up under the database.
    public var minimumFreeMegabytes = 512
    /// How long a request waits for a database connection, and at most for an answer to `/readyz`, in seconds; past
    /// it the request gets the "temporarily unavailable" page instead of hanging.
    public var databaseWaitSeconds = 5
    /// How long a stopping server (SIGTERM) gives its in-flight requests, and then its background job in hand, to
    /// finish, in seconds each; past it the process exits anyway.
    public var stopSeconds = 20
    /// How log lines are written (`JAGA_LOG_FORMAT`): text for people, or one JSON object per line for a shipper.
    public var logFormat = LogFormat.text
    /// The bearer token a Prometheus scraper sends to `/metrics`; unset, `/metrics` does not exist.
    public var metricsToken: String?
    /// The bcrypt cost of new password hashes. Not an environment variable: a portal always hashes at 12; the Swift
    /// suites, which make thousands of accounts and sign-ins, lower it for speed (`withJagaApp`).
    public var bcryptCost = PasswordRules.bcryptCost
    /// The Chromium that prints a published triwulan report to PDF (`JAGA_PDF_BROWSER`, ADR 0025).
    public var pdfBrowser = NSString.path(withComponents: ["/", "usr", "bin", "chromium"])

    public enum LogFormat: String, Sendable, Equatable {
        case text
        case json
    }

    /// Where mail goes out: host, port, how the connection is protected, credentials and the sender.
    public struct MailServer: Sendable, Equatable {
        public enum Security: String, Sendable, Equatable, CaseIterable {
            /// Plain connection upgraded with STARTTLS before anything is sent (submission, port 587).
            case starttls
            /// TLS from the first byte (port 465).
            case tls
            /// No encryption: only for a relay on the same host or network.
            case none
        }

        public var host: String
        public var port: Int
        public var security: Security
        public var username: String?
        public var password: String?
        /// The From address, such as "Jaga Stranas PK <noreply@stranas.example.go.id>" or a bare address.
        public var sender: String
        /// A PEM file of the certificate authorities to trust for this server instead of the system's.
        public var trustedCAFile: String?

        public init(
            host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
            sender: String, trustedCAFile: String? = nil
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
            self.sender = sender
            self.trustedCAFile = trustedCAFile
        }
    }

    public init(
        dataDirectory: String, database: Database, hostname: String, port: Int, mode: Mode, publicURL: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.hostname = hostname
        self.port = port
        self.mode = mode
        self.publicURLIsDefault = publicURL == nil
        self.publicURL = publicURL ?? Self.defaultPublicURL(hostname: hostname, port: port)
    }

    /// Whether `publicURL` was made from the host and port rather than set with `JAGA_PUBLIC_URL`.
    public private(set) var publicURLIsDefault: Bool

    private static func defaultPublicURL(hostname: String, port: Int) -> String {
        let shownHost = hostname == "0.0.0.0" || hostname == "::" ? "127.0.0.1" : hostname
        return "http://\(shownHost):\(port)"
    }

    /// The same configuration serving on `port` (from `--port`), whose default public address, in invitation links
    /// and e-mails, follows it.
    public func servingOnPort(_ port: Int?) -> AppConfig {
        guard let port, port != self.port else { return self }
        var copy = self
        copy.port = port
        if self.publicURLIsDefault { copy.publicURL = Self.defaultPublicURL(hostname: self.hostname, port: port) }
        return copy
    }

    /// Cookies are marked Secure when people reach the portal over HTTPS (usually through a TLS-terminating proxy).
    public var servesOverTLS: Bool { self.publicURL.hasPrefix("https://") }

    public static let sqliteFileName = "jaga.sqlite"
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Reads and validates the configuration. Every problem names the variable and what it expects.
    public static func load(from environment: [String: String]) throws(ConfigurationError) -> AppConfig {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        let dataDirectory = value("JAGA_DATA_DIR") ?? "./data"

        let database: Database
        if let url = value("DATABASE_URL") {
            guard let components = URLComponents(string: url),
                components.scheme == "postgres" || components.scheme == "postgresql",
                let host = components.host, !host.isEmpty
            else {
                throw ConfigurationError(
                    variable: "DATABASE_URL",
                    expected: "a PostgreSQL URL such as postgres://user:password@host:5432/database")
            }
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: (dataDirectory as NSString).appendingPathComponent(AppConfig.sqliteFileName))
        }

        let hostname = value("JAGA_HOST") ?? "127.0.0.1"
        guard !hostname.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw ConfigurationError(variable: "JAGA_HOST", expected: "a host name or IP address such as 127.0.0.1")
        }

        let port: Int
        if let raw = value("JAGA_PORT") {
            guard let parsed = Int(raw), (1...65535).contains(parsed) else {
                throw ConfigurationError(variable: "JAGA_PORT", expected: "a port number from 1 to 65535")
            }
            port = parsed
        } else {
            port = 8080
        }

        let mode: Mode
        if let raw = value("JAGA_ENV") {
            guard let parsed = Mode(rawValue: raw.lowercased()) else {
                throw ConfigurationError(variable: "JAGA_ENV", expected: "development or production")
            }
            mode = parsed
        } else {
            mode = .development
        }

        // Vapor reads LOG_LEVEL itself and silently ignores a value it does not know; refuse it here instead.
        if let level = value("LOG_LEVEL"), !AppConfig.logLevels.contains(level) {
            throw ConfigurationError(
                variable: "LOG_LEVEL", expected: "one of " + AppConfig.logLevels.joined(separator: ", "))
        }

        var publicURL: String?
        if let raw = value("JAGA_PUBLIC_URL") {
            let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            guard let components = URLComponents(string: trimmed),
                components.scheme == "http" || components.scheme == "https", components.host?.isEmpty == false,
                components.query == nil, components.fragment == nil
            else {
                throw ConfigurationError(
                    variable: "JAGA_PUBLIC_URL", expected: "the portal's address, such as https://jaga.example.go.id")
            }
            publicURL = trimmed
        }

        var config = AppConfig(
            dataDirectory: dataDirectory, database: database, hostname: hostname, port: port, mode: mode,
            publicURL: publicURL)
        if let raw = value("JAGA_TRUSTED_PROXIES") {
            let addresses = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard addresses.allSatisfy(AppConfig.isIPAddress) else {
                throw ConfigurationError(
                    variable: "JAGA_TRUSTED_PROXIES",
                    expected: "a comma-separated list of IP addresses, such as 10.0.0.5,10.0.0.6")
            }
            config.trustedProxies = Set(addresses)
        }
        if let raw = value("JAGA_UPLOAD_LIMIT_MB") {
            guard let megabytes = Int(raw), (1...200).contains(megabytes) else {
                throw ConfigurationError(
                    variable: "JAGA_UPLOAD_LIMIT_MB", expected: "a whole number of megabytes, 1 to 200")
            }
            config.uploadLimitBytes = megabytes * 1024 * 1024
        }
        if let raw = value("JAGA_PAGE_CACHE_MB") {
            guard let megabytes = Int(raw), (0...4096).contains(megabytes) else {
                throw ConfigurationError(
                    variable: "JAGA_PAGE_CACHE_MB", expected: "a whole number of megabytes, 0 (off) to 4096")
            }
            config.pageCacheBytes = megabytes * 1024 * 1024
        }
        if let raw = value("JAGA_PAGE_REFRESH_SECONDS") {
            guard let seconds = Int(raw), (0...60).contains(seconds) else {
                throw ConfigurationError(
                    variable: "JAGA_PAGE_REFRESH_SECONDS", expected: "a whole number of seconds, 0 to 60")
            }
            config.pageRefreshSeconds = seconds
        }
        config.secretKey = value("JAGA_SECRET_KEY")
        config.holidaysFile = value("JAGA_HOLIDAYS_FILE")
        if let raw = value("JAGA_TODAY") {
            guard mode == .development, CalendarDate(iso: raw) != nil else {
                throw ConfigurationError(
                    variable: "JAGA_TODAY", expected: "a date such as 2021-04-05, and only with JAGA_ENV=development")
            }
            config.fixedToday = raw
        }
        config.mailServer = try Self.mailServer(value)
        if let raw = value("JAGA_JOBS") {
            switch raw.lowercased() {
            case "on": config.runsJobs = true
            case "off": config.runsJobs = false
            default: throw ConfigurationError(variable: "JAGA_JOBS", expected: "on or off")
            }
        }
        /// A whole number within `range`, or the error that says what the variable takes.
        func wholeNumber(
            _ name: String, in range: ClosedRange<Int>, expected: String
        ) throws(ConfigurationError)
            -> Int?
        {
            guard let raw = value(name) else { return nil }
            guard let number = Int(raw), range.contains(number) else {
                throw ConfigurationError(variable: name, expected: expected)
            }
            return number
        }
        if let seconds = try wholeNumber(
            "JAGA_JOBS_POLL_SECONDS", in: 1...3_600, expected: "a whole number of seconds, 1 to 3600")
        {
            config.jobPollSeconds = seconds
        }
        if let days = try wholeNumber(
            "JAGA_VERIFICATION_REMINDER_DAYS", in: 1...90, expected: "a whole number of days, 1 to 90")
        {
            config.verificationReminderDays = days
        }
        if let megabytes = try wholeNumber(
            "JAGA_MIN_FREE_MB", in: 0...10_000_000, expected: "a whole number of megabytes, 0 or more")
        {
            config.minimumFreeMegabytes = megabytes
        }
        if let raw = value("JAGA_METRICS_TOKEN") {
            guard raw.count >= 16, raw.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ConfigurationError(
                    variable: "JAGA_METRICS_TOKEN",
                    expected: "at least 16 characters without spaces, e.g. from "
                        + "`openssl rand -hex 24`")
            }
            config.metricsToken = raw
        }
        if let raw = value("JAGA_PDF_BROWSER") {
            guard raw.hasPrefix("/") else {
                throw ConfigurationError(
                    variable: "JAGA_PDF_BROWSER", expected: "the absolute path of a Chromium, e.g. /usr/bin/chromium")
            }
            config.pdfBrowser = raw
        }
        if let seconds = try wholeNumber(
            "JAGA_DATABASE_WAIT_SECONDS", in: 1...120, expected: "a whole number of seconds, 1 to 120")
        {
            config.databaseWaitSeconds = seconds
        }
        if let seconds = try wholeNumber(
            "JAGA_STOP_SECONDS", in: 1...600, expected: "a whole number of seconds, 1 to 600")
        {
            config.stopSeconds = seconds
        }
        if let raw = value("JAGA_LOG_FORMAT") {
            guard let format = LogFormat(rawValue: raw) else {
                throw ConfigurationError(variable: "JAGA_LOG_FORMAT", expected: "text or json")
            }
            config.logFormat = format
        }
        return config
    }

    /// The SMTP settings, all or nothing: without `JAGA_SMTP_HOST` no other mail setting may be given.
    private static func mailServer(_ value: (String) -> String?) throws(ConfigurationError) -> MailServer? {
        guard let host = value("JAGA_SMTP_HOST") else {
            for name in ["JAGA_SMTP_PORT", "JAGA_SMTP_SECURITY", "JAGA_SMTP_USERNAME", "JAGA_SMTP_PASSWORD"]
            where value(name) != nil {
                throw ConfigurationError(variable: "JAGA_SMTP_HOST", expected: "set when \(name) is set")
            }
            return nil
        }
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw ConfigurationError(variable: "JAGA_SMTP_HOST", expected: "a host name or IP address")
        }
        var security = MailServer.Security.starttls
        if let raw = value("JAGA_SMTP_SECURITY") {
            guard let parsed = MailServer.Security(rawValue: raw.lowercased()) else {
                throw ConfigurationError(variable: "JAGA_SMTP_SECURITY", expected: "starttls, tls or none")
            }
            security = parsed
        }
        var port = security == .tls ? 465 : 587
        if let raw = value("JAGA_SMTP_PORT") {
            guard let parsed = Int(raw), (1...65535).contains(parsed) else {
                throw ConfigurationError(variable: "JAGA_SMTP_PORT", expected: "a port number from 1 to 65535")
            }
            port = parsed
        }
        let username = value("JAGA_SMTP_USERNAME")
        let password = value("JAGA_SMTP_PASSWORD")
        guard (username == nil) == (password == nil) else {
            throw ConfigurationError(
                variable: username == nil ? "JAGA_SMTP_USERNAME" : "JAGA_SMTP_PASSWORD",
                expected: "given together with \(username == nil ? "JAGA_SMTP_PASSWORD" : "JAGA_SMTP_USERNAME")")
        }
        if username != nil && security == .none {
            throw ConfigurationError(
                variable: "JAGA_SMTP_SECURITY", expected: "starttls or tls when a password is sent (JAGA_SMTP_USERNAME)"
            )
        }
        guard let sender = value("JAGA_MAIL_FROM"), MailAddress.isPlausible(MailAddress.bare(sender)) else {
            throw ConfigurationError(
                variable: "JAGA_MAIL_FROM", expected: "the sender's address, such as noreply@stranas.example.go.id")
        }
        return MailServer(
            host: host, port: port, security: security, username: username, password: password, sender: sender,
            trustedCAFile: value("JAGA_SMTP_CA_FILE"))
    }
}

/// A setting that is missing or malformed. Its description is the one line the operator sees.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let variable: String
    public let expected: String

    public var description: String {
        "Configuration error: \(self.variable) must be \(self.expected)."
    }
}
