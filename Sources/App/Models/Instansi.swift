import Fluent
import StranasCore

/// A government body that carries aksi: a ministry or agency (K/L), a province, or a kabupaten/kota.
final class Instansi: Model, @unchecked Sendable {
    static let schema = "instansi"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Enum(key: "kind") var kind: InstansiKind
    @Field(key: "name") var name: String
    /// The short name people use, e.g. "KPK", "Kemendagri".
    @OptionalField(key: "abbreviation") var abbreviation: String?
    /// For a K/L: kementerian, kemenko or lembaga.
    @OptionalField(key: "kl_category") var klCategory: String?
    /// Kemendagri's two-digit province code: the province itself, or the province a kab/kota lies in.
    @OptionalField(key: "province_code") var provinceCode: String?
    /// ISO 3166-2 code of a province, e.g. "ID-AC".
    @OptionalField(key: "iso_code") var isoCode: String?
    /// The province a kabupaten/kota belongs to.
    @OptionalParent(key: "parent_id") var parent: Instansi?
    /// Seat of government (ibukota) of a region.
    @OptionalField(key: "seat") var seat: String?
    /// One of the five members of Tim Nasional Pencegahan Korupsi.
    @Field(key: "is_timnas_member") var isTimnasMember: Bool
    /// What is sourced and what is illustrative about this instansi's participation, when it is not official.
    @OptionalField(key: "provenance") var provenance: String?
    /// False once deactivated or merged into another instansi: it stays in history, but takes no new assignments.
    @Field(key: "is_active") var isActive: Bool

    init() {}

    init(
        kind: InstansiKind, name: String, abbreviation: String? = nil, klCategory: String? = nil,
        provinceCode: String? = nil, isoCode: String? = nil, parentID: Int? = nil, seat: String? = nil,
        isTimnasMember: Bool = false, provenance: String? = nil
    ) {
        self.kind = kind
        self.name = name
        self.abbreviation = abbreviation
        self.klCategory = klCategory
        self.provinceCode = provinceCode
        self.isoCode = isoCode
        self.$parent.id = parentID
        self.seat = seat
        self.isTimnasMember = isTimnasMember
        self.provenance = provenance
        self.isActive = true
    }
}
