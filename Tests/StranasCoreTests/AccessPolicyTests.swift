import Testing

@testable import StranasCore

@Suite("Roles and permissions")
struct AccessPolicyTests {
    @Test("each role has exactly the permissions of the documented table")
    func permissionTable() {
        #expect(AccessPolicy.permissions(of: .unitTeknis) == [.useAccount, .viewInstansiReport, .fillReportLines])
        #expect(
            AccessPolicy.permissions(of: .adminInstansi)
                == [.useAccount, .manageUsers, .viewInstansiReport, .reviewInstansiReport, .manageAPITokens])
        #expect(
            AccessPolicy.permissions(of: .focalPoint)
                == [.useAccount, .viewInstansiReport, .reviewInstansiReport, .submitInstansiReport])
        #expect(
            AccessPolicy.permissions(of: .verifikatorSetnas)
                == [.useAccount, .verifyReportLines, .viewNonPublicMonitoring])
        #expect(
            AccessPolicy.permissions(of: .adminSetnas)
                == [
                    .useAccount, .manageUsers, .changeRoles, .readMailOutbox, .readSecurityLog, .administerPlan,
                    .viewNonPublicMonitoring, .handlePublicInput, .superviseBackgroundWork,
                ])
        #expect(AccessPolicy.permissions(of: .timnas) == [.useAccount, .viewNonPublicMonitoring])
    }

    @Test("several roles hold the union of their permissions")
    func union() {
        let permissions = AccessPolicy.permissions(of: [Role.adminInstansi, .focalPoint])
        #expect(permissions.contains(.manageUsers))
        #expect(permissions.contains(.submitInstansiReport))
        #expect(!permissions.contains(.fillReportLines))
    }

    @Test(
        "Admin Setnas creates instansi admins, focal points and Setnas/Timnas accounts; Admin Instansi only Unit Teknis"
    )
    func assignableRoles() {
        #expect(
            AccessPolicy.assignableRoles(by: [Role.adminSetnas])
                == [.adminInstansi, .focalPoint, .verifikatorSetnas, .adminSetnas, .timnas])
        #expect(AccessPolicy.assignableRoles(by: [Role.adminInstansi]) == [.unitTeknis])
        for role in [Role.unitTeknis, .focalPoint, .verifikatorSetnas, .timnas] {
            #expect(AccessPolicy.assignableRoles(by: [role]).isEmpty)
        }
    }

    @Test("an Admin Instansi manages only its own instansi's Unit Teknis, and nobody deactivates themselves")
    func canManage() {
        func check(
            _ actor: Set<Role>, _ actorInstansi: Int?, _ target: Set<Role>, _ targetInstansi: Int?, id: Int = 2
        )
            -> Bool
        {
            AccessPolicy.canManage(
                actorRoles: actor, actorInstansi: actorInstansi, actorID: 1, targetRoles: target,
                targetInstansi: targetInstansi, targetID: id)
        }
        #expect(check([.adminInstansi], 7, [.unitTeknis], 7))
        #expect(!check([.adminInstansi], 7, [.unitTeknis], 8))
        #expect(!check([.adminInstansi], 7, [.focalPoint], 7))
        #expect(!check([.adminInstansi], 7, [.unitTeknis, .focalPoint], 7))
        #expect(!check([.adminInstansi], 7, [.adminInstansi], 7))
        #expect(check([.adminSetnas], nil, [.focalPoint], 7))
        #expect(check([.adminSetnas], nil, [.adminSetnas], nil))
        #expect(!check([.adminSetnas], nil, [.adminSetnas], nil, id: 1))
        #expect(!check([.focalPoint], 7, [.unitTeknis], 7))
        #expect(!check([.timnas], nil, [.unitTeknis], 7))
    }

    @Test("instansi roles and Setnas/Timnas roles are not held together")
    func combinations() {
        #expect([Role.adminInstansi, .focalPoint].isValidCombination)
        #expect([Role.adminSetnas, .verifikatorSetnas].isValidCombination)
        #expect(![Role.adminSetnas, .focalPoint].isValidCombination)
        #expect(![Role]().isValidCombination)
    }

    @Test("Admin Setnas, Verifikator Setnas, Timnas and Focal Point need a second factor; the others may choose")
    func twoFactor() {
        #expect(Role.allCases.filter(\.requiresTwoFactor) == [.focalPoint, .verifikatorSetnas, .adminSetnas, .timnas])
        #expect([Role.unitTeknis, .adminInstansi].requiresTwoFactor == false)
        #expect([Role.adminInstansi, .focalPoint].requiresTwoFactor)
    }
}
