import Fluent
import Foundation

/// A failed sign-in, counted against a key (`account:<e-mail>` or `address:<ip>`) for throttling.
final class SignInFailure: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "key") var key: String
    @Field(key: "at") var at: Date

    init() {}

    init(key: String, at: Date) {
        self.key = key
        self.at = at
    }
}
