import Fluent

/// An aksi a Verifikator Setnas verifies: their scope.
final class VerifikatorAssignment: Model, @unchecked Sendable {
    static let schema = "verifikator_assignments"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Parent(key: "aksi_id") var aksi: Aksi

    init() {}

    init(userID: Int, aksiID: Int) {
        self.$user.id = userID
        self.$aksi.id = aksiID
    }
}
