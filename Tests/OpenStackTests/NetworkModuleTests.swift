import ModuleAPI
import Templating
import Testing

@testable import OpenStack

@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"), .serialized)
struct NetworkModuleTests {
    @Test func networkLifecycle() async throws {
        let name = TestBed.uniqueName("net")
        let base: [String: Value] = ["cloud": "devstack-admin", "name": .string(name)]

        let created = try await ModuleHarness.run(NetworkModule.self, base.merging(["mtu": 1400]) { $1 })
        #expect(created.changed)
        let network = try #require(created.resource("network"))
        #expect(network.keys.compactMap(\.string) == ResourceSchema.network.fields.map(\.key))
        #expect(network["name"] == .string(name))
        #expect(network["mtu"] == 1400)
        #expect(created.values["id"] == network["id"])

        let again = try await ModuleHarness.run(NetworkModule.self, base.merging(["mtu": 1400]) { $1 })
        #expect(!again.changed)

        let predicted = try await ModuleHarness.run(
            NetworkModule.self, base.merging(["mtu": 1300, "port_security_enabled": false]) { $1 }, check: true,
            diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains("\"mtu\"") == false)
        #expect(predicted.diffs.first?.after.contains("mtu: 1300") == true)
        let unchangedByCheck = try await ModuleHarness.run(NetworkModule.self, base.merging(["mtu": 1400]) { $1 })
        #expect(!unchangedByCheck.changed)

        let updated = try await ModuleHarness.run(
            NetworkModule.self, base.merging(["mtu": 1300, "port_security_enabled": false, "tags": ["a", "b"]]) { $1 })
        #expect(updated.changed)
        #expect(updated.resource("network")?["mtu"] == 1300)
        #expect(updated.resource("network")?["is_port_security_enabled"] == false)
        #expect(Set(updated.resource("network")?["tags"]?.array ?? []) == ["a", "b"])

        let deleted = try await ModuleHarness.run(NetworkModule.self, base.merging(["state": "absent"]) { $1 })
        #expect(deleted.changed)
        #expect(deleted.values["network"] == nil)
        let gone = try await ModuleHarness.run(NetworkModule.self, base.merging(["state": "absent"]) { $1 })
        #expect(!gone.changed)
    }
}
