import Fluent
import StranasCore

/// The only writer of the list of instansi: adds one, renames, deactivates, merges one into another and splits a new
/// one off. Each change keeps its dated history row (`InstansiChange`) and a public audit entry in one `DeskCommit`.
/// The checks of names and dates are the form's; this is what happens once they pass.
struct InstansiRegistry {
    let database: any Database
    let clock: AppClock
    let actor: AuditTrail.Actor

    private var commit: DeskCommit { DeskCommit(database: self.database, clock: self.clock) }

    /// Adds an instansi, in force from `date`; a kabupaten/kota belongs to `parent`, its province.
    func add(
        kind: InstansiKind, name: String, abbreviation: String?, parent: Instansi?, on date: CalendarDate,
        note: String?
    ) async throws -> Instansi {
        let instansi = Instansi(
            kind: kind, name: name, abbreviation: abbreviation, provinceCode: parent?.provinceCode,
            parentID: parent?.id)
        let event = AuditTrail.Event(
            action: .instansiCreated, subject: name,
            detail: "\(kind.rawValue)\(parent.map { ", \($0.name)" } ?? ""), berlaku \(date.iso)", reason: note,
            isPublic: true)
        try await self.commit.run([event], by: self.actor) { db in
            try await instansi.create(on: db)
            try await InstansiChange(instansiID: instansi.requireID(), kind: .created, onDate: date.iso, note: note)
                .create(on: db)
        }
        return instansi
    }

    func rename(
        _ instansi: Instansi, to name: String, abbreviation: String?, on date: CalendarDate, note: String?
    )
        async throws
    {
        let id = try instansi.requireID()
        let oldName = instansi.name
        let event = AuditTrail.Event(
            action: .instansiRenamed, subject: oldName,
            detail:
                "\(oldName) (\(instansi.abbreviation ?? "–")) → \(name) (\(abbreviation ?? "–")), berlaku \(date.iso)",
            reason: note, isPublic: true)
        instansi.name = name
        instansi.abbreviation = abbreviation
        try await self.commit.run([event], by: self.actor) { db in
            try await instansi.save(on: db)
            try await InstansiChange(instansiID: id, kind: .renamed, oldName: oldName, onDate: date.iso, note: note)
                .create(on: db)
        }
    }

    func deactivate(_ instansi: Instansi, on date: CalendarDate, note: String?) async throws {
        let id = try instansi.requireID()
        let event = AuditTrail.Event(
            action: .instansiDeactivated, subject: instansi.name, detail: "tidak aktif sejak \(date.iso)", reason: note,
            isPublic: true)
        instansi.isActive = false
        try await self.commit.run([event], by: self.actor) { db in
            try await instansi.save(on: db)
            try await InstansiChange(instansiID: id, kind: .deactivated, onDate: date.iso, note: note).create(on: db)
        }
    }

    /// Ends `instansi`, whose work `target` takes over.
    func merge(_ instansi: Instansi, into target: Instansi, on date: CalendarDate, note: String?) async throws {
        let id = try instansi.requireID()
        let targetID = try target.requireID()
        let event = AuditTrail.Event(
            action: .instansiMerged, subject: instansi.name,
            detail: "\(instansi.name) → \(target.name), berlaku \(date.iso)", reason: note, isPublic: true)
        instansi.isActive = false
        try await self.commit.run([event], by: self.actor) { db in
            try await instansi.save(on: db)
            try await InstansiChange(instansiID: id, kind: .mergedInto, otherID: targetID, onDate: date.iso, note: note)
                .create(on: db)
            try await InstansiChange(instansiID: targetID, kind: .absorbed, otherID: id, onDate: date.iso, note: note)
                .create(on: db)
        }
    }

    /// Forms a new instansi named `name` out of `instansi` (pemekaran), which goes on; returns the new one.
    func split(
        _ instansi: Instansi, forming name: String, abbreviation: String?, on date: CalendarDate, note: String?
    )
        async throws -> Instansi
    {
        let id = try instansi.requireID()
        let formed = Instansi(
            kind: instansi.kind, name: name, abbreviation: abbreviation, klCategory: instansi.klCategory,
            parentID: instansi.$parent.id)
        let event = AuditTrail.Event(
            action: .instansiSplit, subject: instansi.name,
            detail: "\(name) dimekarkan dari \(instansi.name), berlaku \(date.iso)", reason: note, isPublic: true)
        try await self.commit.run([event], by: self.actor) { db in
            try await formed.create(on: db)
            let formedID = try formed.requireID()
            try await InstansiChange(instansiID: formedID, kind: .splitFrom, otherID: id, onDate: date.iso, note: note)
                .create(on: db)
            try await InstansiChange(instansiID: id, kind: .splitInto, otherID: formedID, onDate: date.iso, note: note)
                .create(on: db)
        }
        return formed
    }
}
