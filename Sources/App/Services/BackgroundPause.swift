import Foundation
import SQLKit

/// Background work (reminders, notices, mail) held for every node until an operator resumes it: `jaga restore` sets
/// it, so that a restored copy started for checking sends nothing; `jaga jobs resume` lifts it.
struct BackgroundPause {
    let database: any SQLDatabase

    static let flag = "background.paused"

    /// Why the work is held, or nil when it runs.
    func reason() async throws -> String? {
        struct Row: Decodable { let note: String }
        return try await self.database.select().column("note").from("operation_flags")
            .where("name", .equal, Self.flag).first(decoding: Row.self)?.note
    }

    func pause(note: String, at now: Date) async throws {
        try await self.database.delete(from: "operation_flags").where("name", .equal, Self.flag).run()
        try await self.database.insert(into: "operation_flags").columns("name", "set_at", "note")
            .values(SQLBind(Self.flag), SQLBind(now), SQLBind(note)).run()
    }

    /// Lifts the hold; returns whether there was one.
    @discardableResult
    func resume() async throws -> Bool {
        let held = try await self.reason() != nil
        try await self.database.delete(from: "operation_flags").where("name", .equal, Self.flag).run()
        return held
    }
}
