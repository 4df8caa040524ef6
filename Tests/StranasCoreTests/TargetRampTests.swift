import Testing

@testable import StranasCore

@Suite("Target ramps")
struct TargetRampTests {
    @Test("a milestone has a single target of 1 in the triwulan it is due")
    func milestone() {
        #expect(TargetRamp.quarterlyTargets(kind: .milestone, finalTarget: 1, milestoneDueIn: 4) == [4: 1])
        // A due triwulan outside the cycle is clamped into it.
        #expect(TargetRamp.quarterlyTargets(kind: .milestone, finalTarget: 1, milestoneDueIn: 11) == [8: 1])
    }

    @Test("a cumulative count climbs in whole units and ends exactly at the final target")
    func cumulative() {
        let ramp = TargetRamp.quarterlyTargets(kind: .cumulative, finalTarget: 5, milestoneDueIn: 8)
        #expect((1...8).map { ramp[$0]! } == [1, 2, 2, 3, 4, 4, 5, 5])
    }

    @Test("a percentage climbs in whole percent to 100")
    func percentage() {
        let ramp = TargetRamp.quarterlyTargets(kind: .percentage, finalTarget: 100, milestoneDueIn: 8)
        #expect((1...8).map { ramp[$0]! } == [13, 25, 38, 50, 63, 75, 88, 100])
    }

    @Test("ramps never fall from one triwulan to the next")
    func monotonic() {
        for kind in [IndicatorKind.cumulative, .percentage] {
            for final in [1.0, 3, 14, 34, 50, 99.5] {
                let ramp = TargetRamp.quarterlyTargets(kind: kind, finalTarget: final, milestoneDueIn: 8)
                for number in 2...8 { #expect(ramp[number]! >= ramp[number - 1]!) }
                #expect(ramp[8] == final)
            }
        }
    }

    @Test("regional governments share a national count; K/L and percentages carry the whole target")
    func shares() {
        #expect(
            TargetRamp.finalTarget(
                nationalTarget: 34, kind: .cumulative, assignee: .provinsi, regionalAssigneeCount: 34)
                == 1)
        #expect(
            TargetRamp.finalTarget(nationalTarget: 50, kind: .cumulative, assignee: .kabkota, regionalAssigneeCount: 76)
                == 1)
        #expect(
            TargetRamp.finalTarget(nationalTarget: 34, kind: .cumulative, assignee: .kl, regionalAssigneeCount: 34)
                == 34)
        #expect(
            TargetRamp.finalTarget(
                nationalTarget: 100, kind: .percentage, assignee: .provinsi, regionalAssigneeCount: 34)
                == 100)
    }
}
