import Fluent
import SQLKit

/// The generation of each `PageTopic`, in the database so that every node behind a load balancer sees the same
/// ones: the place in the audit chain of the last entry that moved the topic. A change bumps its topics in its own
/// transaction, beside the entry it appends, so a topic's generation is never ahead of the chain's head; a page
/// rendered when the head was at `n` is current while none of its topics has moved past `n`.
struct PageGenerations: Sendable {
    let database: any Database

    /// The topics' generations; a topic never bumped is at 0. One indexed read.
    func read(_ topics: Set<PageTopic>) async throws -> [PageTopic: Int] {
        struct Row: Decodable {
            let topic: String
            let generation: Int
        }
        guard !topics.isEmpty else { return [:] }
        let rows = try await (self.database as! any SQLDatabase).raw(
            "SELECT topic, generation FROM page_generations WHERE topic IN (\(binds: topics.sorted().map(\.name)))"
        ).all(decoding: Row.self)
        var generations: [PageTopic: Int] = [:]
        for row in rows { generations[PageTopic(name: row.topic)] = row.generation }
        return generations
    }

    /// Moves `topics` to `generation` (the place of the entry appended with the change). Called inside the change's
    /// transaction, after the entry.
    func bump(_ topics: Set<PageTopic>, to generation: Int) async throws {
        guard !topics.isEmpty else { return }
        let sql = self.database as! any SQLDatabase
        for topic in topics.sorted() {
            try await sql.raw(
                """
                INSERT INTO page_generations (topic, generation) VALUES (\(bind: topic.name), \(bind: generation))
                ON CONFLICT (topic) DO UPDATE SET generation = excluded.generation
                """
            ).run()
        }
    }
}
