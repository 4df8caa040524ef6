import Fluent

/// Every migration, in the order it runs. Append new ones; never edit or reorder one that has landed.
enum AppMigrations {
    static let all: [any Migration] = [
        M001CreateCycles(),
        M002CreatePlanTree(),
        M003CreateInstansi(),
        M004CreateAssignmentsAndTargets(),
        M005CreateAccounts(),
        M006CreatePlanImports(),
        M007PublishingAndRevisions(),
        M008AuditLogAndHistory(),
        M009CreateReporting(),
        M010CreateScores(),
        M011CreateResultSnapshots(),
        M012CreatePublicCases(),
        M013CreatePublicInputs(),
        M014CreateJobsAndNotices(),
        M015CreateAPITokens(),
        M016CreateReportImports(),
        M017ReporterTraces(),
        M018PagesAtScale(),
        M019OperationFlags(),
        M020InstansiReview(),
        M021ReportPrint(),
        M022CreateVerificationImports(),
    ]
}
