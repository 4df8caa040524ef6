import Foundation
import Testing

@Suite("The code keeps its shape")
struct ArchitectureTests {
    /// Folders whose code decodes, reads and renders, and hands every write to a desk in `Services/`. The security
    /// log (`SecurityLog.record`: sign-ins, lockouts, resets asked for) is a log of requests, appended where they
    /// are answered, and is not a write of the portal's state.
    static let readingFolders = [
        "Sources/App/Controllers", "Sources/App/Views", "Sources/App/Middleware", "Sources/App/Models",
        "Sources/App/Commands",
    ]

    @Test("controllers, views, middleware, models and commands open no transaction and write no row")
    func writesGoThroughDesks() throws {
        var files: [(path: String, text: String)] = []
        for folder in Self.readingFolders { files += try SourceTree.files(under: folder, ending: ".swift") }
        #expect(files.count > 50)
        let writes = try SourceTree.matches(
            of:
                #"\btransaction\b|\.(save|create|update|delete)\(on:|\.(delete|update)\(\)|AuditTrail\(.*\.record\(|ScoreBook\(.*\.re"#,
            in: files)
        #expect(writes.isEmpty, "writes outside the desks:\n\(writes.joined(separator: "\n"))")
    }

    @Test("the scan finds a write where there is one")
    func scanFindsWrites() throws {
        let sample = [
            (
                path: "Sources/App/Controllers/Example.swift",
                text:
                    "try await request.db.transaction { db in\n    try await line.save(on: db)\n}\n// line.save(on: db)"
            )
        ]
        let found = try SourceTree.matches(
            of: #"\btransaction\b|\.(save|create|update|delete)\(on:|\.(delete|update)\(\)"#, in: sample)
        #expect(found.count == 2)
    }
}
