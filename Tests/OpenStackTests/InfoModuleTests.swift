import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// The `*_info` modules read what the test bed's seed created (the `public` network, `m1.tiny`,
/// the `admin` project) plus a network of their own.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"))
struct InfoModuleTests {
    static let cloud: [String: Value] = ["cloud": "devstack-admin"]

    @Test func infoModulesFindSeededAndCreatedResources() async throws {
        let networks = try await ModuleHarness.run(NetworksInfoModule.self, Self.cloud.with(["name": "public"]))
        #expect(!networks.changed)
        let publicNetwork = try #require(networks.values["networks"]?.array?.first?.dictionary)
        #expect(publicNetwork["is_router_external"] == true)
        let external = try await ModuleHarness.run(
            NetworksInfoModule.self, Self.cloud.with(["filters": .object(["is_router_external": true])]))
        #expect(external.values["networks"]?.array?.contains { $0.dictionary?["name"] == "public" } == true)

        let subnets = try await ModuleHarness.run(
            SubnetsInfoModule.self, Self.cloud.with(["filters": .object(["network_id": publicNetwork["id"] ?? Value.none])]))
        #expect(subnets.values["subnets"]?.array?.isEmpty == false)

        let flavors = try await ModuleHarness.run(ComputeFlavorInfoModule.self, Self.cloud.with(["ram": ">=512"]))
        let flavorNames = flavors.values["flavors"]?.array?.compactMap { $0.dictionary?["name"]?.string } ?? []
        #expect(flavorNames.contains("m1.tiny"))
        #expect(flavors.values["flavors"]?.array?.allSatisfy { ($0.dictionary?["ram"]).map { $0 != .int(0) } ?? false } == true)
        let tiny = try await ModuleHarness.run(ComputeFlavorInfoModule.self, Self.cloud.with(["name": "m1.tiny"]))
        #expect(tiny.values["flavors"]?.array?.count == 1)

        let projects = try await ModuleHarness.run(ProjectInfoModule.self, Self.cloud.with(["name": "admin", "domain": "default"]))
        #expect(projects.values["projects"]?.array?.count == 1)

        let groups = try await ModuleHarness.run(SecurityGroupInfoModule.self, Self.cloud.with(["name": "default"]))
        #expect(groups.values["security_groups"]?.array?.isEmpty == false)
        let rules = try await ModuleHarness.run(SecurityGroupRuleInfoModule.self, Self.cloud.with(["direction": "egress"]))
        #expect(rules.values["security_group_rules"]?.array?.allSatisfy { $0.dictionary?["direction"] == "egress" } == true)

        for module in [RoutersInfoModule.self, PortInfoModule.self, KeypairInfoModule.self, ImageInfoModule.self, ServerInfoModule.self] as [any Module.Type] {
            let result = try await runInfo(module)
            #expect(!result.changed)
            #expect(result.values.count == 1)
        }
    }

    private func runInfo(_ module: any Module.Type) async throws -> ModuleResult {
        func run<M: Module>(_ type: M.Type) async throws -> ModuleResult { try await ModuleHarness.run(type, Self.cloud) }
        return try await run(module)
    }
}
