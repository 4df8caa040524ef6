import Vapor

/// The desks a request writes through, acting for the person signed in (or the command line's actor when nobody is,
/// which only routes without a permission allow).
extension Request {
    /// Who acts, as the audit log names them.
    var auditActor: AuditTrail.Actor {
        self.signedInUser.map { AuditTrail.Actor($0.user) } ?? .commandLine
    }

    var instansiRegistry: InstansiRegistry {
        InstansiRegistry(database: self.db, clock: self.application.clock, actor: self.auditActor)
    }

    var cycleDesk: CycleDesk {
        CycleDesk(database: self.db, clock: self.application.clock, actor: self.auditActor)
    }

    var planDesk: PlanDesk {
        PlanDesk(database: self.db, clock: self.application.clock, actor: self.auditActor)
    }

    var accountDesk: AccountDesk {
        AccountDesk(
            database: self.db, clock: self.application.clock, actorID: self.signedInUser?.id,
            clientAddress: self.clientAddress)
    }

    var noticeDesk: NoticeDesk {
        NoticeDesk(database: self.db, clock: self.application.clock)
    }
}
