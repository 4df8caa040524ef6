import Fluent
import StranasCore
import Vapor

/// What the report is about, from the query or the form: a line (its instansi is fixed), an instansi, or an aksi
/// (whose pelaksana the reporter chooses from).
struct ParticipationSubject {
    var about: String?
    var aksiID: Int?
    var aksiNumber: Int?
    var targetID: Int?
    var fixedInstansiID: Int?
    var choices: [(id: Int, name: String)]

    /// The instansi a form addresses: the fixed one, or the visitor's choice when it is one of the choices offered.
    func instansi(chosen: Int?) -> Int? {
        self.fixedInstansiID ?? chosen.flatMap { id in self.choices.contains { $0.id == id } ? id : nil }
    }

    static func resolve(
        aksi number: Int?, target targetID: Int?, instansi instansiID: Int?, request: Request
    ) async throws -> ParticipationSubject {
        if let targetID {
            guard
                let target = try await Target.query(on: request.db).filter(\.$id == targetID).with(\.$instansi)
                    .with(\.$indicator, { $0.with(\.$output, { $0.with(\.$aksi, { $0.with(\.$cycle) }) }) })
                    .with(\.$triwulan).first(),
                target.indicator.output.aksi.cycle.isPublished
            else { throw PageError.notFound("report.public.unknown_subject") }
            let aksi = target.indicator.output.aksi
            return ParticipationSubject(
                about: request.t(
                    "report.public.about_line", target.indicator.code, target.instansi.name,
                    request.triwulanLabel(number: target.triwulan.number, startYear: aksi.cycle.startYear)),
                aksiID: aksi.id, aksiNumber: nil, targetID: targetID, fixedInstansiID: target.$instansi.id,
                choices: [])
        }
        if let number {
            let cycle = try await CycleLookup.cycle(for: request)
            guard
                let aksi = try await Aksi.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
                    .filter(\.$number == number).first()
            else { throw PageError.notFound("error.aksi_not_found", String(number), cycle.code) }
            let pelaksana = try await Pelaksana.query(on: request.db).filter(\.$aksi.$id == aksi.requireID())
                .with(\.$instansi).all()
            var seen = Set<Int>()
            let choices = pelaksana.map(\.instansi).filter { seen.insert($0.id!).inserted }
                .sorted { $0.name < $1.name }.map { (id: $0.id!, name: $0.name) }
            return ParticipationSubject(
                about: request.t("report.public.about_aksi", String(aksi.number), aksi.title), aksiID: aksi.id,
                aksiNumber: number, targetID: nil, fixedInstansiID: nil, choices: choices)
        }
        if let instansiID {
            guard let instansi = try await Instansi.find(instansiID, on: request.db), instansi.isActive else {
                throw PageError.notFound("error.instansi_not_found")
            }
            return ParticipationSubject(
                about: request.t("report.public.about_instansi", instansi.name), aksiID: nil, aksiNumber: nil,
                targetID: nil, fixedInstansiID: instansiID, choices: [])
        }
        let everyone = try await Instansi.query(on: request.db).filter(\.$isActive == true).sort(\.$name).all()
        return ParticipationSubject(
            about: nil, aksiID: nil, aksiNumber: nil, targetID: nil, fixedInstansiID: nil,
            choices: everyone.map { (id: $0.id!, name: $0.name) })
    }
}
