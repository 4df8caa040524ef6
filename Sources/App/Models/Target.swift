import Fluent

/// What one instansi must reach on one indicator by the end of one triwulan.
final class Target: Model, @unchecked Sendable {
    static let schema = "targets"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "indicator_id") var indicator: Indicator
    @Parent(key: "instansi_id") var instansi: Instansi
    @Parent(key: "triwulan_id") var triwulan: Triwulan
    @Field(key: "value") var value: Double
    @OptionalField(key: "description") var description: String?

    init() {}

    init(indicatorID: Int, instansiID: Int, triwulanID: Int, value: Double, description: String?) {
        self.$indicator.id = indicatorID
        self.$instansi.id = instansiID
        self.$triwulan.id = triwulanID
        self.value = value
        self.description = description
    }
}
