import Fluent
import Foundation
import StranasCore

/// A laporan penyimpangan: what a member of the public reported about an instansi (and perhaps one of its aksi or
/// report lines), followed by its receipt code. Body and contact are sealed with the portal's key.
final class PublicCase: Model, @unchecked Sendable {
    static let schema = "public_cases"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The keyed hash of the receipt code; the code itself is never stored.
    @Field(key: "receipt_hash") var receiptHash: String
    @Enum(key: "state") var state: CaseState
    @Parent(key: "instansi_id") var instansi: Instansi
    @OptionalParent(key: "aksi_id") var aksi: Aksi?
    /// A report line's target, when the report is about one line.
    @OptionalParent(key: "target_id") var target: Target?
    @Field(key: "body") var body: Data
    @OptionalField(key: "contact") var contact: Data?
    /// Days only (ISO): nothing finer is kept about when a reporter acted.
    @Field(key: "created_on") var createdOn: String
    @OptionalField(key: "forwarded_on") var forwardedOn: String?
    /// The last day for the instansi's answer: 7 working days after forwarding.
    @OptionalField(key: "due_on") var dueOn: String?
    @OptionalField(key: "answered_on") var answeredOn: String?
    @OptionalField(key: "closed_on") var closedOn: String?
    @Field(key: "reopened") var reopened: Bool
    /// Rises with every step, so that two people acting on the same case at once do not both succeed.
    @Field(key: "version") var version: Int

    init() {}

    init(receiptHash: String, instansiID: Int, aksiID: Int?, targetID: Int?, body: Data, contact: Data?, on day: String)
    {
        self.receiptHash = receiptHash
        self.state = .baru
        self.$instansi.id = instansiID
        self.$aksi.id = aksiID
        self.$target.id = targetID
        self.body = body
        self.contact = contact
        self.createdOn = day
        self.reopened = false
        self.version = 1
    }
}

/// One entry of a case's conversation: a message, or the note that goes with a step (a refusal's reason, the
/// instansi's answer, the reporter's reason to reopen). Sealed like the case.
final class PublicCaseMessage: Model, @unchecked Sendable {
    static let schema = "public_case_messages"

    enum Author: String, Codable, Sendable, CaseIterable {
        case reporter, setnas, instansi
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "case_id") var publicCase: PublicCase
    @Enum(key: "author") var author: Author
    @OptionalParent(key: "user_id") var user: User?
    /// The step this entry goes with, if any.
    @OptionalEnum(key: "action") var action: CaseAction?
    @Field(key: "body") var body: Data
    @Field(key: "on_date") var onDate: String

    init() {}

    init(caseID: Int, author: Author, userID: Int?, action: CaseAction?, body: Data, on day: String) {
        self.$publicCase.id = caseID
        self.author = author
        self.$user.id = userID
        self.action = action
        self.body = body
        self.onDate = day
    }
}

/// A file the reporter attached, its name sealed here. Sealed in `sealedContent` since migration 017; files attached
/// before it are sealed on disk under a random name (`SealedFileStore`), named by `storedName`.
final class PublicCaseFile: Model, @unchecked Sendable {
    static let schema = "public_case_files"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "case_id") var publicCase: PublicCase
    @Field(key: "stored_name") var storedName: String
    @Field(key: "name") var name: Data
    @Enum(key: "kind") var kind: EvidenceKind
    @Field(key: "size") var size: Int
    @OptionalField(key: "sealed_content") var sealedContent: Data?

    init() {}

    init(caseID: Int, storedName: String, name: Data, kind: EvidenceKind, size: Int, sealedContent: Data? = nil) {
        self.$publicCase.id = caseID
        self.storedName = storedName
        self.sealedContent = sealedContent
        self.name = name
        self.kind = kind
        self.size = size
    }
}

/// A reporter's contact opened to someone outside Setnas's handlers: asked by one Admin Setnas with a reason, in
/// force once a second Admin Setnas approves it. Both acts are on the audit chain.
final class ContactReveal: Model, @unchecked Sendable {
    static let schema = "contact_reveals"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "case_id") var publicCase: PublicCase
    @Parent(key: "recipient_id") var recipient: User
    @Parent(key: "requested_by") var requestedBy: User
    @Field(key: "reason") var reason: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalParent(key: "approved_by") var approvedBy: User?
    @OptionalField(key: "approved_at") var approvedAt: Date?

    init() {}

    init(caseID: Int, recipientID: Int, requestedBy: Int, reason: String, at: Date) {
        self.$publicCase.id = caseID
        self.$recipient.id = recipientID
        self.$requestedBy.id = requestedBy
        self.reason = reason
        self.requestedAt = at
    }
}
