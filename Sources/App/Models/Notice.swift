import Fluent
import Foundation

/// A notification in a signed-in person's inbox, written in their language when it was made, with the page it is
/// about. Unread until they open it or mark it read.
final class Notice: Model, @unchecked Sendable {
    static let schema = "notices"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Enum(key: "topic") var topic: NoticeTopic
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// A path on the portal.
    @Field(key: "link") var link: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    init(userID: Int, topic: NoticeTopic, title: String, body: String, link: String, now: Date) {
        self.$user.id = userID
        self.topic = topic
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = now
    }
}

/// What a notice is about; each topic but escalations may have its e-mails turned off by the person.
enum NoticeTopic: String, Codable, Sendable, CaseIterable {
    /// Lines of a triwulan missing 7 days and 1 day before the due day, and the day after.
    case reportReminder = "pengingat-laporan"
    /// A line the verifikator returned with a reason.
    case lineReturned = "baris-dikembalikan"
    /// A line the instansi's review (Admin Instansi or Focal Point) sent back to draft with a note.
    case lineSentBack = "baris-dikembalikan-reviu"
    /// Lines waiting for their verifikator longer than the configured days.
    case verificationReminder = "pengingat-verifikasi"
    /// A laporan masyarakat forwarded to the instansi, and two working days left to answer it.
    case caseDeadline = "tenggat-laporan-masyarakat"
    /// Lines sent to the instansi's review, in a daily digest (`WorkDigest`).
    case reviewWaiting = "menunggu-reviu"
    /// Lines submitted to Setnas for the verifikator's aksi, in a daily digest.
    case verificationWaiting = "menunggu-verifikasi"
    /// New laporan masyarakat, usulan and pertanyaan waiting for Setnas, in a daily digest.
    case publicInputArrived = "masukan-publik-baru"
    /// A laporan masyarakat not answered in time: Setnas and the instansi are told, always by e-mail too.
    case escalation = "eskalasi"

    /// Whether the person may turn this topic's e-mails off.
    var isOptional: Bool { self != .escalation }
}

/// A topic whose e-mails a person turned off; the notice still reaches their inbox.
final class MailOptOut: Model, @unchecked Sendable {
    static let schema = "mail_opt_outs"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Enum(key: "topic") var topic: NoticeTopic

    init() {}

    init(userID: Int, topic: NoticeTopic) {
        self.$user.id = userID
        self.topic = topic
    }
}
