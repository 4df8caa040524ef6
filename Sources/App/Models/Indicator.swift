import Fluent
import StranasCore

/// An indicator of success (ukuran keberhasilan) of an output.
final class Indicator: Model, @unchecked Sendable {
    static let schema = "indicators"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "output_id") var output: PlanOutput
    /// e.g. "5.2.1".
    @Field(key: "code") var code: String
    @Field(key: "description") var description: String
    /// What is counted: "persen", "dokumen", "provinsi", ...
    @Field(key: "unit") var unit: String
    @Enum(key: "kind") var kind: IndicatorKind
    /// Relative weight within its output, used when scores are combined.
    @Field(key: "weight") var weight: Double
    /// The national target at the end of the cycle.
    @Field(key: "final_target") var finalTarget: Double
    /// What is sourced and what is illustrative about this row, when it is not official data.
    @OptionalField(key: "provenance") var provenance: String?
    /// The same measure in the previous cycle, so that its trend can be followed across cycles.
    @OptionalParent(key: "predecessor_id") var predecessor: Indicator?

    init() {}

    init(
        outputID: Int, code: String, description: String, unit: String, kind: IndicatorKind, weight: Double,
        finalTarget: Double, provenance: String?
    ) {
        self.$output.id = outputID
        self.code = code
        self.description = description
        self.unit = unit
        self.kind = kind
        self.weight = weight
        self.finalTarget = finalTarget
        self.provenance = provenance
    }
}
