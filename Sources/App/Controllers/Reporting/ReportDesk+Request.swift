import Vapor

extension Request {
    /// The report desk acting for whoever sent this request: an instansi's system with its API key, a signed-in
    /// person, or nobody (who may read no line).
    var reportDesk: ReportDesk {
        let actor = self.apiToken.map(ReportDesk.Actor.init) ?? self.signedInUser.map(ReportDesk.Actor.init)
        return ReportDesk(database: self.db, clock: self.application.clock, actor: actor)
    }
}

/// A line as a check page listed it, "target:version" in a form: the step after the check acts on exactly that
/// version, so that a line changed in between is refused rather than decided unseen.
struct CheckedLine: Equatable {
    let targetID: Int
    let version: Int

    init(targetID: Int, version: Int) {
        self.targetID = targetID
        self.version = version
    }

    /// The lines of a form's `diperiksa[]` values; a value of another shape is a malformed form.
    static func all(in values: [String]?) throws -> [CheckedLine] {
        try (values ?? []).map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let targetID = Int(parts[0]), let version = Int(parts[1]) else {
                throw PageError.badRequest("error.bad_form")
            }
            return CheckedLine(targetID: targetID, version: version)
        }
    }

    /// The value a check page puts in its form.
    var formValue: String { "\(self.targetID):\(self.version)" }
}
