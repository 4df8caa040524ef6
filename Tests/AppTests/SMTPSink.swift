import Foundation
import Testing

@testable import App

/// A real SMTP server on 127.0.0.1 for one test: `scripts/smtp-sink.py` (aiosmtpd, installed into .venv by the test
/// command), which keeps each accepted message as JSON and fails every message while `failing` is on.
final class SMTPSink {
    struct Message: Decodable {
        let mailFrom: String
        let recipients: [String]
        let from: String
        let to: String
        let subject: String
        let text: String?
        let html: String?
        let tls: Bool
    }

    let port: Int
    /// The certificate the server presents, with `starttls`.
    let certificate: String?
    private let directory: String
    private let process: Process
    private let input: Pipe

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    init(starttls: Bool = false) throws {
        let root = Self.packageRoot
        let python =
            ProcessInfo.processInfo.environment["JAGA_TEST_PYTHON"]
            ?? root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SinkError("No Python with aiosmtpd at \(python): run scripts/test once, which creates .venv.")
        }
        self.directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("jaga-smtp-\(UUID().uuidString)")
            .path
        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: python)
        self.process.arguments =
            [root.appendingPathComponent("scripts/smtp-sink.py").path, "--dir", self.directory]
            + (starttls ? ["--starttls"] : [])
        let output = Pipe()
        self.input = Pipe()
        self.process.standardOutput = output
        self.process.standardInput = self.input
        try self.process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while text.components(separatedBy: "\n").count <= (starttls ? 2 : 1) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw SinkError("The test mail server stopped: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n")
        guard let port = lines.first.flatMap({ Int($0.dropFirst("PORT ".count)) }) else {
            throw SinkError("The test mail server said: \(text)")
        }
        self.port = port
        self.certificate = starttls ? lines.dropFirst().first.map { String($0.dropFirst("CA ".count)) } : nil
    }

    deinit {
        try? self.input.fileHandleForWriting.close()
        self.process.terminate()
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// Whether the server refuses every message with 451.
    var failing: Bool {
        get { FileManager.default.fileExists(atPath: self.directory + "/fail") }
        set {
            if newValue {
                FileManager.default.createFile(atPath: self.directory + "/fail", contents: Data())
            } else {
                try? FileManager.default.removeItem(atPath: self.directory + "/fail")
            }
        }
    }

    /// Every message received, in order.
    func messages() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: self.directory).filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map {
            try JSONDecoder().decode(
                Message.self, from: Data(contentsOf: URL(fileURLWithPath: self.directory + "/" + $0)))
        }
    }

    /// The mail settings of an app that sends through this server.
    func server(security: AppConfig.MailServer.Security = .none) -> AppConfig.MailServer {
        AppConfig.MailServer(
            host: security == .none ? "127.0.0.1" : "localhost", port: self.port, security: security,
            sender: "Jaga Stranas PK <noreply@jaga.test>", trustedCAFile: self.certificate)
    }

    struct SinkError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
