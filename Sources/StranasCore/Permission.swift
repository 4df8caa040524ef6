/// Something a signed-in person may do. Every protected route names the one it needs; the map from roles to
/// permissions below is the only place that decides who has it. `docs/ROLES_AND_PERMISSIONS.md` mirrors it.
public enum Permission: String, Sendable, CaseIterable, Codable {
    /// Their own home page and account security (second factor, sign-out).
    case useAccount = "use_account"
    /// Invite, list and deactivate users: an Admin Instansi its own Unit Teknis, Admin Setnas everyone else.
    case manageUsers = "manage_users"
    /// Change the roles of an existing account (Admin Setnas).
    case changeRoles = "change_roles"
    /// Read the outgoing mail outbox (development only).
    case readMailOutbox = "read_mail_outbox"
    /// Read the security log: sign-ins, failures, lock-outs, invitations, role changes, deactivations.
    case readSecurityLog = "read_security_log"
    /// See their instansi's report lines of a triwulan: what is due, filled, submitted, returned.
    case viewInstansiReport = "view_instansi_report"
    /// Fill the report lines assigned to them (reporting issue).
    case fillReportLines = "fill_report_lines"
    /// Review the instansi's whole triwulan (reporting issue).
    case reviewInstansiReport = "review_instansi_report"
    /// Submit the instansi's report to Setnas and sign official answers to the public.
    case submitInstansiReport = "submit_instansi_report"
    /// Verify the lines of the aksi assigned to them (reporting issue).
    case verifyReportLines = "verify_report_lines"
    /// Run cycles, the plan tree, instansi, calendars and publication (plan administration issue).
    case administerPlan = "administer_plan"
    /// See the non-public detail of monitoring: unverified claims, return reasons (monitoring issue).
    case viewNonPublicMonitoring = "view_non_public_monitoring"
    /// Handle what the public sends: check, forward and refuse laporan penyimpangan (public participation issue).
    case handlePublicInput = "handle_public_input"
    /// See the background work (reminders, notices, mail) and try failed jobs again (Admin Setnas).
    case superviseBackgroundWork = "supervise_background_work"
    /// Make and revoke the keys with which the instansi's own systems use the reporting API (Admin Instansi).
    case manageAPITokens = "manage_api_tokens"
}

/// The role → permission map.
public enum AccessPolicy {
    public static func permissions(of role: Role) -> Set<Permission> {
        switch role {
        case .unitTeknis:
            [.useAccount, .viewInstansiReport, .fillReportLines]
        case .adminInstansi:
            [.useAccount, .manageUsers, .viewInstansiReport, .reviewInstansiReport, .manageAPITokens]
        case .focalPoint:
            [.useAccount, .viewInstansiReport, .reviewInstansiReport, .submitInstansiReport]
        case .verifikatorSetnas:
            [.useAccount, .verifyReportLines, .viewNonPublicMonitoring]
        case .adminSetnas:
            [
                .useAccount, .manageUsers, .changeRoles, .readMailOutbox, .readSecurityLog, .administerPlan,
                .viewNonPublicMonitoring, .handlePublicInput, .superviseBackgroundWork,
            ]
        case .timnas:
            [.useAccount, .viewNonPublicMonitoring]
        }
    }

    public static func permissions<Roles: Sequence<Role>>(of roles: Roles) -> Set<Permission> {
        roles.reduce(into: []) { $0.formUnion(self.permissions(of: $1)) }
    }

    /// The roles someone may give to the accounts they create: Admin Setnas creates an instansi's Admin Instansi and
    /// Focal Point and every Setnas and Timnas account; an Admin Instansi invites its own Unit Teknis.
    public static func assignableRoles<Roles: Sequence<Role>>(by actor: Roles) -> Set<Role> {
        var result: Set<Role> = []
        for role in actor {
            switch role {
            case .adminSetnas:
                result.formUnion([.adminInstansi, .focalPoint, .verifikatorSetnas, .adminSetnas, .timnas])
            case .adminInstansi: result.insert(.unitTeknis)
            default: break
            }
        }
        return result
    }

    /// Whether an actor may deactivate an account. Admin Setnas may act on any account; an Admin Instansi on
    /// the Unit Teknis of its own instansi. Nobody deactivates themselves.
    public static func canManage(
        actorRoles: Set<Role>, actorInstansi: Int?, actorID: Int,
        targetRoles: Set<Role>, targetInstansi: Int?, targetID: Int
    ) -> Bool {
        guard targetID != actorID else { return false }
        if actorRoles.contains(.adminSetnas) { return true }
        guard actorRoles.contains(.adminInstansi), let instansi = actorInstansi, targetInstansi == instansi else {
            return false
        }
        return !targetRoles.isEmpty && targetRoles.isSubset(of: self.assignableRoles(by: actorRoles))
    }
}
