import Foundation

/// How an indicator (ukuran keberhasilan) measures progress.
public enum IndicatorKind: String, Sendable, CaseIterable, Codable {
    /// Done or not done by a stated triwulan: the target is 1 in that triwulan.
    case milestone
    /// A count that only grows, e.g. "jumlah provinsi yang ...".
    case cumulative
    /// A share in percent, 0 to 100.
    case percentage

    /// Whether its values count whole things: a number of provinces or documents, or a milestone's 0 or 1. A
    /// percentage may have decimals.
    public var countsWholeUnits: Bool { self != .percentage }

    /// Reads the `tipe` column of the plan files (`milestone`, `kumulatif`, `persen`) and the stored raw values.
    public init?(planFileValue: String) {
        switch planFileValue.trimmingCharacters(in: .whitespaces).lowercased() {
        case "milestone": self = .milestone
        case "kumulatif", "cumulative": self = .cumulative
        case "persen", "percentage": self = .percentage
        default: return nil
        }
    }
}

/// The three kinds of instansi that carry aksi.
public enum InstansiKind: String, Sendable, CaseIterable, Codable {
    /// Kementerian/lembaga: a ministry or national agency.
    case kl
    case provinsi
    /// Kabupaten or kota.
    case kabkota

    /// Regional governments (pemda) share national count targets between them.
    public var isRegional: Bool { self != .kl }
}

/// The part an instansi plays in an aksi or output.
public enum PelaksanaRole: String, Sendable, CaseIterable, Codable {
    case koordinator
    case pelaksana
}
