import Foundation
import Testing

@testable import MusterCore

@Suite("Status page rollup")
struct StatusRollupTests {
    let t0 = Fixtures.t0
    let rollup = StatusRollup.standard(for: .standard)

    func components() throws -> [StatusComponent] {
        [
            try StatusComponent(id: "checkout", name: "Checkout", services: ["payments", "cart"], createdAt: t0),
            try StatusComponent(id: "search", name: "Search", services: ["search"], createdAt: t0),
        ]
    }

    /// Each component's state and the indicator, at `now`.
    func page(
        _ components: [StatusComponent], _ incidents: [PublishedIncident], _ maintenances: [ActiveMaintenance] = [], at now: Date
    ) -> ([ComponentStatus], StatusIndicator) {
        let states = components.map { rollup.state(of: $0, incidents: incidents, maintenances: maintenances, at: now) }
        return (states.map(\.status), rollup.indicator(components: states, openIncidents: incidents.count))
    }

    @Test("a page walked through an outage and its recovery shows the right banner at each step, never stuck")
    func outageAndRecovery() throws {
        // given two components, all quiet
        let parts = try components()
        #expect(page(parts, [], at: t0) == ([.operational, .operational], .none))
        // when a P1 on payments is published, checkout is down and the page says so
        let down = PublishedIncident(publicName: "Card payments fail", severity: "P1", services: ["payments"], since: t0)
        #expect(page(parts, [down], at: t0 + 60) == ([.majorOutage, .operational], .critical))
        let why = rollup.state(of: parts[0], incidents: [down], maintenances: [], at: t0 + 60)
        #expect(why.reason == "Card payments fail" && why.since == t0)
        // when a P3 on search is published too, the worst still decides
        let slow = PublishedIncident(publicName: "Slow search", severity: "P3", services: ["search"], since: t0 + 120)
        #expect(page(parts, [down, slow], at: t0 + 180) == ([.majorOutage, .degradedPerformance], .critical))
        // when the P1 is lowered to P2, then resolved, the banner follows
        var lowered = down
        lowered.severity = "P2"
        #expect(page(parts, [lowered, slow], at: t0 + 600) == ([.partialOutage, .degradedPerformance], .major))
        #expect(page(parts, [slow], at: t0 + 900) == ([.operational, .degradedPerformance], .minor))
        // when the last one is resolved, all is operational at once
        #expect(page(parts, [], at: t0 + 1_200) == ([.operational, .operational], .none))
        #expect(StatusIndicator.none.description == "All Systems Operational")
    }

    @Test("an override wins until it ends; maintenance shows unless something worse happens; an incident on no component is minor")
    func overridesAndMaintenance() throws {
        // given checkout set to partial outage by hand for ten minutes
        var parts = try components()
        parts[0].override = StatusOverride(status: .partialOutage, setBy: "ann", reason: "Card payments slow", setAt: t0, until: t0 + 600)
        #expect(page(parts, [], at: t0 + 60) == ([.partialOutage, .operational], .major))
        #expect(page(parts, [], at: t0 + 600) == ([.operational, .operational], .none))
        // when search is under maintenance, the page is not in trouble
        let window = ActiveMaintenance(title: "Index rebuild", components: ["search"], since: t0)
        #expect(page(parts, [], [window], at: t0 + 700) == ([.operational, .underMaintenance], .none))
        // when an incident hits search during it, the incident shows
        let broken = PublishedIncident(publicName: "Search down", severity: "P1", services: ["search"], since: t0 + 800)
        #expect(page(parts, [broken], [window], at: t0 + 900) == ([.operational, .majorOutage], .critical))
        // when a published incident names no component's service, the page is still not all well
        let elsewhere = PublishedIncident(publicName: "Emails late", severity: "P3", services: ["mail"], since: t0)
        #expect(page(parts, [elsewhere], at: t0 + 1_000) == ([.operational, .operational], .minor))
    }

    @Test("of equally bad incidents, the first to begin says why")
    func earliestReason() throws {
        let parts = try components()
        let first = PublishedIncident(publicName: "Cart empty", severity: "P2", services: ["cart"], since: t0)
        let second = PublishedIncident(publicName: "Payments slow", severity: "P2", services: ["payments"], since: t0 + 60)
        #expect(rollup.state(of: parts[0], incidents: [second, first], maintenances: [], at: t0 + 120).reason == "Cart empty")
    }
}
