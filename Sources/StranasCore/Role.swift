/// What a signed-in person is in the portal. Stored as readable text (`unit_teknis`, ...).
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Implementing staff of an instansi: fills the report lines assigned to them.
    case unitTeknis = "unit_teknis"
    /// "Admin Jaga Stranas" of an instansi, usually Inspektorat staff: manages its users, reviews drafts.
    case adminInstansi = "admin_instansi"
    /// The instansi's Eselon II official who approves and submits its quarterly report.
    case focalPoint = "focal_point"
    /// Setnas staff who verify the lines of the aksi assigned to them.
    case verifikatorSetnas = "verifikator_setnas"
    /// Setnas administrators: cycles, plan, instansi, users, publication.
    case adminSetnas = "admin_setnas"
    /// Staff of the five Tim Nasional member institutions: read everything, including non-public detail.
    case timnas

    /// The roles that belong to one instansi; the others belong to Setnas or Timnas and have none.
    public var belongsToInstansi: Bool {
        switch self {
        case .unitTeknis, .adminInstansi, .focalPoint: true
        case .verifikatorSetnas, .adminSetnas, .timnas: false
        }
    }

    /// Roles that must sign in with a second factor (TOTP).
    public var requiresTwoFactor: Bool {
        switch self {
        case .adminSetnas, .verifikatorSetnas, .timnas, .focalPoint: true
        case .unitTeknis, .adminInstansi: false
        }
    }
}

extension Collection where Element == Role {
    /// Whether these roles can be held together by one account: all of an instansi, or none of one, and at least one.
    public var isValidCombination: Bool {
        guard let first = self.first else { return false }
        return self.allSatisfy { $0.belongsToInstansi == first.belongsToInstansi }
    }

    public var requiresTwoFactor: Bool { self.contains { $0.requiresTwoFactor } }
}
