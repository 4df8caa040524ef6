import Vapor

extension Request {
    /// The report desk acting for whoever sent this request: an instansi's system with its API key, a signed-in
    /// person, or nobody (who may read no line).
    var reportDesk: ReportDesk {
        let actor = self.apiToken.map(ReportDesk.Actor.init) ?? self.signedInUser.map(ReportDesk.Actor.init)
        return ReportDesk(database: self.db, clock: self.application.clock, actor: actor)
    }
}
