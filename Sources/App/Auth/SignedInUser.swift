import StranasCore
import Vapor

/// The person behind a request, once `SessionLoader` has found a live session for it.
struct SignedInUser: Sendable {
    let user: User
    let roles: Set<Role>
    let session: UserSession
    let permissions: Set<Permission>
    /// Notices not read yet, for the header (counted once the sign-in is complete).
    var unreadNotices = 0

    var id: Int { self.user.id! }
    var instansiID: Int? { self.user.$instansi.id }

    init(user: User, roles: Set<Role>, session: UserSession) {
        self.user = user
        self.roles = roles
        self.session = session
        self.permissions = AccessPolicy.permissions(of: roles)
    }
}

extension Request {
    private struct SignedInUserKey: StorageKey {
        typealias Value = SignedInUser
    }

    /// The session's person, whatever its stage; nil for anonymous requests.
    var sessionUser: SignedInUser? {
        get { self.storage[SignedInUserKey.self] }
        set { self.storage[SignedInUserKey.self] = newValue }
    }

    /// The person, only when fully signed in (password and, where needed, the second factor).
    var signedInUser: SignedInUser? {
        guard let user = self.sessionUser, user.session.stage == .active else { return nil }
        return user
    }

    /// The client's address, for the security log and throttling. Behind a trusted proxy (`JAGA_TRUSTED_PROXIES`) it
    /// is the last address in `X-Forwarded-For` that is not itself a trusted proxy; a client cannot forge it, since
    /// each proxy appends the address it saw.
    var clientAddress: String {
        let peer = self.remoteAddress?.ipAddress ?? "unknown"
        let trusted = self.application.config.trustedProxies
        guard trusted.contains(peer) else { return peer }
        let forwarded = self.headers[.xForwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return forwarded.last { !trusted.contains($0) && AppConfig.isIPAddress($0) } ?? peer
    }
}
