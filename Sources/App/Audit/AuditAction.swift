/// The kinds of change the audit log records. The raw values are stored and hashed: never rename one.
enum AuditAction: String, CaseIterable, Sendable {
    case cycleCreated = "cycle.create"
    case windowsChanged = "cycle.windows"
    case cyclePublished = "cycle.publish"
    case planImported = "plan.import"
    case planEdited = "plan.edit"
    case verifikatorAssigned = "aksi.verifikator"
    case targetsChanged = "target.change"
    case predecessorMapped = "indicator.predecessor"
    case instansiCreated = "instansi.create"
    case instansiRenamed = "instansi.rename"
    case instansiDeactivated = "instansi.deactivate"
    case instansiMerged = "instansi.merge"
    case instansiSplit = "instansi.split"
    case resultsPublished = "results.publish"
    /// Stored scores moved by a refresh that no other entry records (an operator's refresh after a correction).
    case scoresRefreshed = "scores.refresh"
    /// Any action on a report line; the subject names the line and the action (`ReportAction`).
    case reportLine = "report.line"
    /// A step in a laporan penyimpangan; the subject names the case and never its content.
    case publicCase = "public.case"
    /// A step of an usulan or pertanyaan: received, moderated, answered.
    case publicInput = "public.input"
}
