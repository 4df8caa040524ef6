import Foundation
import Logging
import Vapor

/// The program: reads the configuration, builds the app and runs the command it was given (`serve` by default).
///
/// Anything that stops start-up (a bad setting, an unreachable or unmigrated database, a data directory that cannot
/// be written) ends the program with one line on standard error and exit status 1, never a stack trace.
public enum Entrypoint {
    public static func main() async {
        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
                .servingOnPort(Self.portArgument(CommandLine.arguments))
        } catch {
            Self.fail(error.description)
        }

        let app: Application
        do {
            var environment = try Environment.detect()
            environment = Environment(name: config.mode.rawValue, arguments: environment.arguments)
            switch config.logFormat {
            case .text: try LoggingSystem.bootstrap(from: &environment)
            case .json:
                try LoggingSystem.bootstrap(from: &environment) { level in
                    { label in JSONLogHandler(label: label, level: level) }
                }
            }
            app = try await Application.make(environment)
        } catch {
            Self.fail("Cannot start: \(error).")
        }

        do {
            try await configure(app, config: config)
            if Self.isServing(app.environment.arguments) {
                try Self.requireFreePort(config)
                try await DatabasePreparation.prepareForServing(app, config: config)
                // Only the server runs background work in-process; commands (and `jaga jobs run`) do not.
                if config.runsJobs { app.lifecycle.use(JobRunnerLoop()) }
                app.lifecycle.use(GracefulStop())
            }
        } catch {
            try? await app.asyncShutdown()
            Self.fail(Self.line(for: error))
        }

        do {
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            // Vapor has already logged the command's error in one line.
            try? await app.asyncShutdown()
            exit(1)
        }
    }

    /// The port given with `--port`/`-p`, which Vapor's serve command uses over the configured one.
    static func portArgument(_ arguments: [String]) -> Int? {
        guard let flag = arguments.firstIndex(where: { $0 == "--port" || $0 == "-p" }), flag + 1 < arguments.count
        else { return nil }
        return Int(arguments[flag + 1]).flatMap { (1...65535).contains($0) ? $0 : nil }
    }

    /// `jaga`, `jaga serve` and `jaga --port 8081` serve; `jaga serve --help` only prints help.
    static func isServing(_ arguments: [String]) -> Bool {
        let rest = arguments.dropFirst()
        if rest.contains("--help") || rest.contains("-h") { return false }
        guard let command = rest.first else { return true }
        return command == "serve" || command.hasPrefix("-")
    }

    /// Says so in one line when the port is taken, rather than leaving it to the server's bind error. (The server's own
    /// bind still decides; this only catches the common case early.) Skipped when `--port`, `--bind` or a Unix socket
    /// is given on the command line, since those override the configuration.
    static func requireFreePort(_ config: AppConfig) throws {
        let arguments = CommandLine.arguments
        guard
            !arguments.contains(where: {
                ["--port", "-p", "--bind", "-b", "--unix-socket", "--hostname", "-H"].contains($0)
            })
        else { return }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(config.hostname, String(config.port), &hints, &result) == 0, let info = result else { return }
        defer { freeaddrinfo(result) }
        let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        if bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 && errno == EADDRINUSE {
            throw StartupError(
                "Port \(config.port) on \(config.hostname) is already in use. Stop the program using it, or choose "
                    + "another port with JAGA_PORT.")
        }
    }

    static func line(for error: any Error) -> String {
        switch error {
        case let error as StartupError: error.description
        case let error as ConfigurationError: error.description
        default: "Cannot start: \(String(describing: error))."
        }
    }

    /// Runs a command's work; a `StartupError` ends the program with its one line, as at start-up, rather than as a
    /// logged warning.
    static func reportingFailures(_ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch let error as StartupError {
            self.fail(error.description)
        }
    }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data(("jaga: " + line + "\n").utf8))
        exit(1)
    }
}
