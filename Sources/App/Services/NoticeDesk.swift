import Fluent
import StranasCore

/// What a person does with their own notices: reads them, and chooses which topics come by e-mail. Notices are made
/// by `Notifier`; this only changes their reader's state.
struct NoticeDesk {
    let database: any Database
    let clock: AppClock

    private var commit: DeskCommit { DeskCommit(database: self.database, clock: self.clock) }

    func markRead(_ notice: Notice) async throws {
        guard notice.readAt == nil else { return }
        notice.readAt = self.clock.now()
        try await self.commit.run([], by: .commandLine) { db in try await notice.save(on: db) }
    }

    func markAllRead(of userID: Int) async throws {
        let now = self.clock.now()
        try await self.commit.run([], by: .commandLine) { db in
            try await Notice.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil)
                .set(\.$readAt, to: now).update()
        }
    }

    /// Mails the person the `offered` topics in `mailed`, and not the others.
    func mail(_ mailed: Set<NoticeTopic>, of offered: [NoticeTopic], to userID: Int) async throws {
        try await self.commit.run([], by: .commandLine) { db in
            try await MailOptOut.query(on: db).filter(\.$user.$id == userID).delete()
            for topic in offered where !mailed.contains(topic) {
                try await MailOptOut(userID: userID, topic: topic).create(on: db)
            }
        }
    }
}
