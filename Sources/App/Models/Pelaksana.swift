import Fluent
import StranasCore

/// An instansi's assignment to an aksi, or to one output of it, as coordinator or implementer.
final class Pelaksana: Model, @unchecked Sendable {
    static let schema = "pelaksana"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "instansi_id") var instansi: Instansi
    @Parent(key: "aksi_id") var aksi: Aksi
    /// Nil when the assignment is to the aksi as a whole.
    @OptionalParent(key: "output_id") var output: PlanOutput?
    @Enum(key: "role") var role: PelaksanaRole

    init() {}

    init(instansiID: Int, aksiID: Int, outputID: Int?, role: PelaksanaRole) {
        self.$instansi.id = instansiID
        self.$aksi.id = aksiID
        self.$output.id = outputID
        self.role = role
    }
}
