import Foundation
import StranasCore
import Testing

@testable import App

@Suite("Configuration")
struct ConfigurationTests {
    @Test("with nothing set, the app serves SQLite in ./data on 127.0.0.1:8080 in development")
    func defaults() throws {
        let config = try AppConfig.load(from: [:])
        #expect(config.dataDirectory == "./data")
        #expect(config.database == .sqlite(path: "./data/jaga.sqlite"))
        #expect(config.hostname == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.mode == .development)
        #expect(config.publicURL == "http://127.0.0.1:8080")
        #expect(!config.servesOverTLS)
    }

    @Test("a portal hashes new passwords at bcrypt cost 12, whatever its environment says")
    func bcryptCost() throws {
        let config = try AppConfig.load(from: ["JAGA_ENV": "production", "BCRYPT_COST": "4", "JAGA_BCRYPT_COST": "4"])
        #expect(config.bcryptCost == 12)
        let rules = PasswordRules(policy: PasswordPolicy(commonPasswords: []), cost: config.bcryptCost)
        let hash = try rules.hash("integritas itu harga mati")
        #expect(hash.hasPrefix("$2b$12$"))
        #expect(rules.verify("integritas itu harga mati", against: hash))
    }

    @Test("JAGA_PUBLIC_URL sets the links' address; https makes cookies Secure")
    func publicURL() throws {
        let config = try AppConfig.load(from: [
            "JAGA_PUBLIC_URL": "https://jaga.example.go.id/", "JAGA_HOST": "0.0.0.0",
        ])
        #expect(config.publicURL == "https://jaga.example.go.id")
        #expect(config.servesOverTLS)
        #expect(try AppConfig.load(from: ["JAGA_HOST": "0.0.0.0"]).publicURL == "http://127.0.0.1:8080")
    }

    @Test("DATABASE_URL selects PostgreSQL; the other variables are read as given")
    func explicit() throws {
        let config = try AppConfig.load(from: [
            "DATABASE_URL": "postgres://jaga:secret@db.internal:5432/jaga", "JAGA_DATA_DIR": "/var/lib/jaga",
            "JAGA_HOST": "0.0.0.0", "JAGA_PORT": "9000", "JAGA_ENV": "production",
        ])
        #expect(config.database == .postgres(url: "postgres://jaga:secret@db.internal:5432/jaga"))
        #expect(config.dataDirectory == "/var/lib/jaga")
        #expect(config.hostname == "0.0.0.0")
        #expect(config.port == 9000)
        #expect(config.mode == .production)
    }

    @Test(
        "a malformed setting names the variable and what it expects",
        arguments: [
            (["JAGA_PORT": "80a"], "JAGA_PORT"),
            (["JAGA_PORT": "70000"], "JAGA_PORT"),
            (["JAGA_ENV": "staging"], "JAGA_ENV"),
            (["DATABASE_URL": "mysql://localhost/x"], "DATABASE_URL"),
            (["DATABASE_URL": "not a url"], "DATABASE_URL"),
            (["JAGA_HOST": "bad host"], "JAGA_HOST"),
            (["LOG_LEVEL": "verbose"], "LOG_LEVEL"),
            (["JAGA_PUBLIC_URL": "ftp://jaga.example"], "JAGA_PUBLIC_URL"),
            (["JAGA_TRUSTED_PROXIES": "10.0.0.5, proxy.internal"], "JAGA_TRUSTED_PROXIES"),
            (["JAGA_PUBLIC_URL": "https://jaga.example/?x=1"], "JAGA_PUBLIC_URL"),
            (["JAGA_UPLOAD_LIMIT_MB": "0"], "JAGA_UPLOAD_LIMIT_MB"),
            (["JAGA_UPLOAD_LIMIT_MB": "20MB"], "JAGA_UPLOAD_LIMIT_MB"),
            (["JAGA_TODAY": "5 April 2021"], "JAGA_TODAY"),
            (["JAGA_TODAY": "2021-04-05", "JAGA_ENV": "production"], "JAGA_TODAY"),
        ])
    func malformed(environment: [String: String], variable: String) {
        do {
            _ = try AppConfig.load(from: environment)
            Issue.record("expected \(variable) to be refused")
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.hasPrefix("Configuration error: \(variable) must be "))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("messages about a PostgreSQL URL never show its password")
    func passwordsStayHidden() {
        let location = DatabasePreparation.describe(.postgres(url: "postgres://jaga:s3cret@db:6543/prod"))
        #expect(location == "PostgreSQL db:6543/prod (from DATABASE_URL)")
    }

    @Test("jaga serves by default, and with serve or server options, but not for help or other commands")
    func servingCommands() {
        #expect(Entrypoint.isServing(["jaga"]))
        #expect(Entrypoint.isServing(["jaga", "serve"]))
        #expect(Entrypoint.isServing(["jaga", "--port", "8081"]))
        #expect(!Entrypoint.isServing(["jaga", "serve", "--help"]))
        #expect(!Entrypoint.isServing(["jaga", "migrate"]))
        #expect(!Entrypoint.isServing(["jaga", "seed", "demo"]))
    }

    @Test("uploads default to 20 MB and JAGA_UPLOAD_LIMIT_MB changes it; JAGA_TODAY fixes the day in development")
    func uploadsAndToday() throws {
        #expect(try AppConfig.load(from: [:]).uploadLimitBytes == 20 * 1024 * 1024)
        #expect(try AppConfig.load(from: ["JAGA_UPLOAD_LIMIT_MB": "5"]).uploadLimitBytes == 5 * 1024 * 1024)
        #expect(try AppConfig.load(from: [:]).fixedToday == nil)
        #expect(try AppConfig.load(from: ["JAGA_TODAY": "2021-04-05"]).fixedToday == "2021-04-05")
    }

    @Test("JAGA_TRUSTED_PROXIES takes IPv4 and IPv6 addresses")
    func trustedProxies() throws {
        let config = try AppConfig.load(from: ["JAGA_TRUSTED_PROXIES": "10.0.0.5, ::1"])
        #expect(config.trustedProxies == ["10.0.0.5", "::1"])
        #expect(try AppConfig.load(from: [:]).trustedProxies.isEmpty)
    }
}

@Suite("Start-up checks")
struct StartupCheckTests {
    @Test("a port another program listens on is refused in one line that names it")
    func portInUse() throws {
        // Listen on a free loopback port, as another program would.
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 1) == 0
            }
        }
        #expect(bound)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))

        let busy = AppConfig(
            dataDirectory: "/tmp", database: .sqliteInMemory, hostname: "127.0.0.1", port: port, mode: .development)
        #expect(throws: StartupError.self) { try Entrypoint.requireFreePort(busy) }
        do {
            try Entrypoint.requireFreePort(busy)
        } catch let error as StartupError {
            #expect(
                error.description
                    == "Port \(port) on 127.0.0.1 is already in use. Stop the program using it, or choose another port with JAGA_PORT."
            )
        }
        // Once the other program has gone, the port is free again.
        close(descriptor)
        #expect(throws: Never.self) { try Entrypoint.requireFreePort(busy) }
    }

    @Test("the SMTP settings: defaults by security, all or nothing, and a sender that is an address")
    func mailServer() throws {
        #expect(try AppConfig.load(from: [:]).mailServer == nil)
        let submission = try AppConfig.load(from: [
            "JAGA_SMTP_HOST": "smtp.example.go.id", "JAGA_MAIL_FROM": "Jaga Stranas PK <noreply@example.go.id>",
            "JAGA_SMTP_USERNAME": "jaga", "JAGA_SMTP_PASSWORD": "rahasia",
        ]).mailServer
        #expect(
            submission
                == AppConfig.MailServer(
                    host: "smtp.example.go.id", port: 587, security: .starttls, username: "jaga", password: "rahasia",
                    sender: "Jaga Stranas PK <noreply@example.go.id>"))
        let implicit = try AppConfig.load(from: [
            "JAGA_SMTP_HOST": "smtp.example.go.id", "JAGA_SMTP_SECURITY": "TLS",
            "JAGA_MAIL_FROM": "noreply@example.go.id",
        ]).mailServer
        #expect(implicit?.port == 465)
        #expect(implicit?.security == .tls)

        let refused: [([String: String], String)] = [
            (["JAGA_SMTP_PORT": "25"], "JAGA_SMTP_HOST"),
            (["JAGA_SMTP_HOST": "smtp.example.go.id"], "JAGA_MAIL_FROM"),
            (["JAGA_SMTP_HOST": "smtp.example.go.id", "JAGA_MAIL_FROM": "bukan alamat"], "JAGA_MAIL_FROM"),
            (
                ["JAGA_SMTP_HOST": "smtp.example.go.id", "JAGA_MAIL_FROM": "a@b.id", "JAGA_SMTP_SECURITY": "ssl"],
                "JAGA_SMTP_SECURITY"
            ),
            (
                ["JAGA_SMTP_HOST": "smtp.example.go.id", "JAGA_MAIL_FROM": "a@b.id", "JAGA_SMTP_USERNAME": "jaga"],
                "JAGA_SMTP_PASSWORD"
            ),
            (
                [
                    "JAGA_SMTP_HOST": "smtp.example.go.id", "JAGA_MAIL_FROM": "a@b.id", "JAGA_SMTP_SECURITY": "none",
                    "JAGA_SMTP_USERNAME": "jaga", "JAGA_SMTP_PASSWORD": "rahasia",
                ], "JAGA_SMTP_SECURITY"
            ),
            (["JAGA_JOBS": "kadang"], "JAGA_JOBS"),
            (["JAGA_JOBS_POLL_SECONDS": "0"], "JAGA_JOBS_POLL_SECONDS"),
            (["JAGA_VERIFICATION_REMINDER_DAYS": "sepekan"], "JAGA_VERIFICATION_REMINDER_DAYS"),
            (["JAGA_MIN_FREE_MB": "-1"], "JAGA_MIN_FREE_MB"),
            (["JAGA_DATABASE_WAIT_SECONDS": "0"], "JAGA_DATABASE_WAIT_SECONDS"),
            (["JAGA_LOG_FORMAT": "JSON lines"], "JAGA_LOG_FORMAT"),
        ]
        for (environment, variable) in refused {
            #expect(throws: ConfigurationError.self) { try AppConfig.load(from: environment) }
            do {
                _ = try AppConfig.load(from: environment)
            } catch {
                #expect(error.variable == variable, "\(environment)")
            }
        }
        let quiet = try AppConfig.load(from: [
            "JAGA_JOBS": "off", "JAGA_VERIFICATION_REMINDER_DAYS": "3", "JAGA_MIN_FREE_MB": "0",
            "JAGA_DATABASE_WAIT_SECONDS": "9", "JAGA_LOG_FORMAT": "json",
        ])
        #expect(!quiet.runsJobs)
        #expect(quiet.verificationReminderDays == 3)
        #expect(quiet.minimumFreeMegabytes == 0)
        #expect(quiet.databaseWaitSeconds == 9)
        #expect(quiet.logFormat == .json)
        #expect(try AppConfig.load(from: [:]).logFormat == .text)
    }
}
