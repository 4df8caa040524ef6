import Vapor

/// Looks up the audit chain's head for page views, so that every page's footer can show it (one indexed query).
/// `routes.swift` puts it on the page routes only: probes and file downloads do not pay for it.
struct AuditHeadMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET {
            request.auditHead = try? await AuditTrail(database: request.db, clock: request.application.clock).head()
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    private struct AuditHeadKey: StorageKey {
        typealias Value = AuditTrail.Head
    }

    /// The audit chain's head when this request is a page view.
    var auditHead: AuditTrail.Head? {
        get { self.storage[AuditHeadKey.self] }
        set { self.storage[AuditHeadKey.self] = newValue }
    }
}
