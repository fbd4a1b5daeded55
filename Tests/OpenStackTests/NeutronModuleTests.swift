import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// Subnets, routers and ports against the test bed's real Neutron.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"))
struct NeutronModuleTests {
    static let cloud: [String: Value] = ["cloud": "devstack-admin"]

    /// A fresh network; deleted by `removeNetwork`.
    static func makeNetwork(_ prefix: String) async throws -> String {
        let name = TestBed.uniqueName(prefix)
        let result = try await ModuleHarness.run(NetworkModule.self, cloud.with(["name": .string(name)]))
        #expect(result.changed)
        return name
    }

    static func removeNetwork(_ name: String) async throws {
        _ = try await ModuleHarness.run(NetworkModule.self, cloud.with(["name": .string(name), "state": "absent"]))
    }

    @Test func subnetKeepsResolverOrderAndIsIdempotent() async throws {
        let network = try await Self.makeNetwork("subnet-net")
        let name = TestBed.uniqueName("subnet")
        let base = Self.cloud.with([
            "name": .string(name), "network_name": .string(network), "cidr": "10.77.0.0/24",
            "dns_nameservers": ["8.8.8.8", "1.1.1.1"],
        ])
        let created = try await ModuleHarness.run(SubnetModule.self, base)
        #expect(created.changed)
        #expect(DocumentedKeys.covers(DocumentedKeys.subnet, created.resource("subnet")))
        #expect(created.resource("subnet")?["dns_nameservers"] == ["8.8.8.8", "1.1.1.1"])
        #expect(created.resource("subnet")?["is_dhcp_enabled"] == true)

        let again = try await ModuleHarness.run(SubnetModule.self, base)
        #expect(!again.changed)

        // The user's resolver order is intent: reversing it is a change, applied in the given order.
        let reordered = base.with(["dns_nameservers": ["1.1.1.1", "8.8.8.8"]])
        let predicted = try await ModuleHarness.run(SubnetModule.self, reordered, check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains(#"dns_nameservers: ["1.1.1.1", "8.8.8.8"]"#) == true)
        #expect(try await ModuleHarness.run(SubnetModule.self, base).changed == false)
        let updated = try await ModuleHarness.run(SubnetModule.self, reordered.with(["enable_dhcp": false]))
        #expect(updated.changed)
        #expect(updated.resource("subnet")?["dns_nameservers"] == ["1.1.1.1", "8.8.8.8"])
        #expect(updated.resource("subnet")?["is_dhcp_enabled"] == false)
        #expect(try await ModuleHarness.run(SubnetModule.self, reordered.with(["enable_dhcp": false])).changed == false)

        await #expect(throws: OpenStackModuleError.self) {
            try await ModuleHarness.run(SubnetModule.self, reordered.with(["cidr": "10.78.0.0/24"]))
        }

        #expect(try await ModuleHarness.run(SubnetModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(SubnetModule.self, base.with(["state": "absent"])).changed == false)
        try await Self.removeNetwork(network)
    }

    @Test func routerGatewayAndInterfaces() async throws {
        let network = try await Self.makeNetwork("router-net")
        let subnets = [TestBed.uniqueName("rsub-a"), TestBed.uniqueName("rsub-b")]
        for (index, subnet) in subnets.enumerated() {
            let result = try await ModuleHarness.run(
                SubnetModule.self,
                Self.cloud.with(["name": .string(subnet), "network": .string(network), "cidr": .string("10.79.\(index).0/24")]))
            #expect(result.changed)
        }
        let name = TestBed.uniqueName("router")
        let base = Self.cloud.with(["name": .string(name), "network": "public"])

        let created = try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": [.string(subnets[0])]]))
        #expect(created.changed)
        let router = try #require(created.resource("router"))
        #expect(DocumentedKeys.covers(DocumentedKeys.router, router))
        #expect(router["external_gateway_info"]?.dictionary?["network_id"] != nil)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": [.string(subnets[0])]])).changed == false)
        // Omitting `interfaces` leaves them alone (openstack.cloud would detach them all).
        #expect(try await ModuleHarness.run(RouterModule.self, base).changed == false)

        let both: Value = [.string(subnets[0]), .string(subnets[1])]
        let predicted = try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": both]), check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains("interfaces") == true)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": [.string(subnets[0])]])).changed == false)

        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": both])).changed)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": both])).changed == false)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": both, "enable_snat": false])).changed)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": both, "enable_snat": false])).changed == false)
        // An explicit empty list detaches every interface.
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": []])).changed)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": []])).changed == false)

        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["interfaces": both])).changed)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(RouterModule.self, base.with(["state": "absent"])).changed == false)
        for subnet in subnets {
            #expect(try await ModuleHarness.run(SubnetModule.self, Self.cloud.with(["name": .string(subnet), "state": "absent"])).changed)
        }
        try await Self.removeNetwork(network)
    }

    @Test func portMatchesFixedIPsOnTheKeysGiven() async throws {
        let network = try await Self.makeNetwork("port-net")
        let subnet = TestBed.uniqueName("port-sub")
        _ = try await ModuleHarness.run(
            SubnetModule.self, Self.cloud.with(["name": .string(subnet), "network": .string(network), "cidr": "10.81.0.0/24"]))
        let name = TestBed.uniqueName("port")
        let base = Self.cloud.with([
            "name": .string(name), "network": .string(network), "fixed_ips": [.object(["ip_address": "10.81.0.50"])],
            "no_security_groups": true,
        ])
        let created = try await ModuleHarness.run(PortModule.self, base)
        #expect(created.changed)
        #expect(DocumentedKeys.covers(DocumentedKeys.port, created.resource("port")))
        #expect(created.resource("port")?["security_group_ids"] == [])
        // openstack.cloud reports changed here on every run (verbatim list comparison).
        #expect(try await ModuleHarness.run(PortModule.self, base).changed == false)

        let predicted = try await ModuleHarness.run(PortModule.self, base.with(["description": "front"]), check: true)
        #expect(predicted.changed)
        #expect(try await ModuleHarness.run(PortModule.self, base).changed == false)
        let updated = try await ModuleHarness.run(PortModule.self, base.with(["description": "front"]))
        #expect(updated.changed)
        #expect(updated.resource("port")?["description"] == "front")
        #expect(try await ModuleHarness.run(PortModule.self, base.with(["description": "front"])).changed == false)

        #expect(try await ModuleHarness.run(PortModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(PortModule.self, base.with(["state": "absent"])).changed == false)
        _ = try await ModuleHarness.run(SubnetModule.self, Self.cloud.with(["name": .string(subnet), "state": "absent"]))
        try await Self.removeNetwork(network)
    }

    @Test func floatingIPAllocateKeepAndPurge() async throws {
        let allocated = try await ModuleHarness.run(FloatingIPModule.self, Self.cloud.with(["network": "public"]))
        #expect(allocated.changed)
        let fip = try #require(allocated.resource("floating_ip"))
        #expect(DocumentedKeys.covers(DocumentedKeys.floatingIP, fip))
        let address = try #require(fip["floating_ip_address"])
        let base = Self.cloud.with(["network": "public", "floating_ip_address": address])
        let again = try await ModuleHarness.run(FloatingIPModule.self, base)
        #expect(!again.changed)
        #expect(again.resource("floating_ip")?["id"] == fip["id"])
        let predicted = try await ModuleHarness.run(FloatingIPModule.self, base.with(["state": "absent", "purge": true]), check: true)
        #expect(predicted.changed)
        #expect(try await ModuleHarness.run(FloatingIPModule.self, base).changed == false)
        #expect(try await ModuleHarness.run(FloatingIPModule.self, base.with(["state": "absent", "purge": true])).changed)
        #expect(try await ModuleHarness.run(FloatingIPModule.self, base.with(["state": "absent", "purge": true])).changed == false)
    }
}
