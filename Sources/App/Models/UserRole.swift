import Fluent
import StranasCore

/// One role held by a user, stored as readable text.
final class UserRole: Model, @unchecked Sendable {
    static let schema = "user_roles"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Enum(key: "role") var role: Role

    init() {}

    init(userID: Int, role: Role) {
        self.$user.id = userID
        self.role = role
    }
}
