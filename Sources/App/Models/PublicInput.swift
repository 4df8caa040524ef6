import Fluent
import Foundation
import StranasCore

/// An usulan perbaikan or a pertanyaan from the public about an instansi, one of its aksi or one report line.
final class PublicInput: Model, @unchecked Sendable {
    static let schema = "public_inputs"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Enum(key: "kind") var kind: PublicInputKind
    @Enum(key: "state") var state: PublicInputState
    /// The instansi that answers.
    @Parent(key: "instansi_id") var instansi: Instansi
    @OptionalParent(key: "aksi_id") var aksi: Aksi?
    @OptionalParent(key: "target_id") var target: Target?
    /// A name or a pseudonym; empty for "Anonim".
    @Field(key: "author") var author: String
    /// Sealed, for a reply notice; never shown.
    @OptionalField(key: "email") var email: Data?
    @Field(key: "body") var body: String
    @Field(key: "created_on") var createdOn: String
    @OptionalField(key: "moderated_on") var moderatedOn: String?
    /// Setnas's reason for refusing, on record.
    @OptionalField(key: "moderation_note") var moderationNote: String?
    @OptionalParent(key: "duplicate_of") var duplicateOf: PublicInput?
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_on") var answeredOn: String?

    init() {}
}
