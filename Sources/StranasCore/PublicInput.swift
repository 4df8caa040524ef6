/// Usulan perbaikan (a proposal to improve an aksi or its reporting) and pertanyaan (a question): public input that
/// Setnas moderates before anyone else sees it, and that the instansi concerned answers in public.
public enum PublicInputKind: String, Sendable, Codable, CaseIterable {
    case usulan
    case pertanyaan
}

public enum PublicInputState: String, Sendable, Codable, CaseIterable {
    /// Waiting for Setnas.
    case menunggu
    /// Public, with the instansi's answer once there is one.
    case disetujui
    /// Not published, with Setnas's reason on record.
    case ditolak
    /// The same as an item already published, which it points to.
    case duplikat
}

public enum PublicInputModeration: String, Sendable, CaseIterable {
    case approve = "setujui"
    case reject = "tolak"
    case duplicate = "duplikat"

    /// The state a moderation decision leads to; only waiting items are moderated.
    public func next(from state: PublicInputState) -> PublicInputState? {
        guard state == .menunggu else { return nil }
        switch self {
        case .approve: return .disetujui
        case .reject: return .ditolak
        case .duplicate: return .duplikat
        }
    }
}
