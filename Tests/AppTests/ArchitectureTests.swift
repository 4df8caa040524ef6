import Foundation
import StranasCore
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

    @Test("docs/ROLES_AND_PERMISSIONS.md's permission table is AccessPolicy's, role by role")
    func documentedPermissions() throws {
        let doc = try String(
            contentsOf: SourceTree.root.appendingPathComponent("docs/ROLES_AND_PERMISSIONS.md"), encoding: .utf8)
        let columns: [Role] = [.unitTeknis, .adminInstansi, .focalPoint, .verifikatorSetnas, .adminSetnas, .timnas]
        var documented: [Role: Set<Permission>] = [:]
        var rows = 0
        for line in doc.components(separatedBy: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 8, let name = cells[1].split(separator: "`").first,
                let permission = Permission(rawValue: String(name))
            else { continue }
            rows += 1
            for (index, role) in columns.enumerated() where cells[2 + index] == "✓" {
                documented[role, default: []].insert(permission)
            }
        }
        #expect(rows == Permission.allCases.count, "every permission has one row")
        for role in columns {
            #expect(documented[role, default: []] == AccessPolicy.permissions(of: role), "\(role)")
        }
    }
}
