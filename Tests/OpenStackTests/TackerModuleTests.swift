import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// The stackplay.nfv modules against the test bed's real Tacker (server + conductor) and Keystone.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"), .serialized)
struct TackerModuleTests {
    static let cloud: [String: Value] = ["cloud": "devstack-admin"]

    @Test func openStackVIMLifecycle() async throws {
        let name = TestBed.uniqueName("vim")
        let base = Self.cloud.with(["name": .string(name), "vim_cloud": "devstack-admin", "description": "first"])

        let registered = try await ModuleHarness.run(TackerVIMModule.self, base)
        #expect(registered.changed)
        let vim = try #require(registered.resource("vim"))
        #expect(vim["name"] == .string(name))
        #expect(vim["type"] == "openstack")
        #expect(["REACHABLE", "ACTIVE"].contains(vim["status"]?.string?.uppercased() ?? ""))
        // Secrets are never returned.
        let credential = try #require(vim["auth_cred"]?.dictionary)
        #expect(credential["username"] == "admin")
        for secret in ["password", "bearer_token", "ssl_ca_cert"] { #expect(credential[secret] == nil) }

        let again = try await ModuleHarness.run(TackerVIMModule.self, base)
        #expect(!again.changed)

        let predicted = try await ModuleHarness.run(
            TackerVIMModule.self, base.with(["description": "second"]), check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains("description: \"second\"") == true)
        #expect(!(try await ModuleHarness.run(TackerVIMModule.self, base)).changed)

        let updated = try await ModuleHarness.run(TackerVIMModule.self, base.with(["description": "second"]))
        #expect(updated.changed)
        #expect(updated.resource("vim")?["description"] == "second")

        let info = try await ModuleHarness.run(TackerVIMInfoModule.self, Self.cloud.with(["name": .string(name)]))
        #expect(info.values["vims"]?.array?.count == 1)

        let deleted = try await ModuleHarness.run(TackerVIMModule.self, base.with(["state": "absent"]))
        #expect(deleted.changed)
        #expect(!(try await ModuleHarness.run(TackerVIMModule.self, base.with(["state": "absent"]))).changed)
    }

    /// The test bed has no Kubernetes: Tacker itself must refuse a cluster it cannot reach, and the
    /// task reports Tacker's message.
    @Test func unreachableKubernetesVIMIsRefusedByTacker() async throws {
        let name = TestBed.uniqueName("k8s")
        let arguments = Self.cloud.with([
            "name": .string(name), "type": "kubernetes", "auth_url": "https://127.0.0.1:6443",
            "bearer_token": "not-a-real-token", "project_name": "default",
        ])
        await #expect(throws: (any Error).self) {
            let result = try await ModuleHarness.run(TackerVIMModule.self, arguments)
            if result.failed { throw OpenStackModuleError(result.message ?? "") }
        }
        let info = try await ModuleHarness.run(TackerVIMInfoModule.self, Self.cloud.with(["name": .string(name)]))
        let leftover = info.values["vims"]?.array ?? []
        for vim in leftover where vim.dictionary?["status"]?.string?.uppercased() != "UNREACHABLE" {
            Issue.record("Tacker accepted an unreachable cluster as \(vim)")
        }
        _ = try? await ModuleHarness.run(TackerVIMModule.self, Self.cloud.with(["name": .string(name), "state": "absent"]))
    }

    /// A copy of the repository's web-server package with its own VNFD id, so tests never collide
    /// with what the onboarding playbook created.
    static func packageCopy(breakOccurrences: Bool = false) throws -> String {
        let source = TackerPackageOfflineTests.repoPackages + "/web-server"
        let target = try TackerPackageOfflineTests.scratch() + "/web-server"
        try FileManager.default.copyItem(atPath: source, toPath: target)
        let id = UUID().uuidString.lowercased()
        for file in ["web-server_types.yaml", "web-server_top.vnfd.yaml"] {
            let path = "\(target)/Definitions/\(file)"
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = text.replacingOccurrences(of: "a759bf71-2495-43ed-8472-de643c9aab80", with: id)
            if breakOccurrences { text = text.replacingOccurrences(of: "occurrences: [ 0, 1 ]", with: "occurrences: [ 5, 1 ]") }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return target
    }

    @Test func vnfPackageLifecycleAndInstanceResource() async throws {
        let name = TestBed.uniqueName("pkg")
        let source = try Self.packageCopy()
        let base = Self.cloud.with(["name": .string(name), "src": .string(source), "user_defined_data": .object(["site": "1"])])

        let predicted = try await ModuleHarness.run(VNFPackageModule.self, base, check: true)
        #expect(predicted.changed)
        #expect(try await PackageAPI.find(name) == nil)

        let onboarded = try await ModuleHarness.run(VNFPackageModule.self, base)
        #expect(onboarded.changed)
        let package = try #require(onboarded.resource("vnf_package"))
        #expect(package["onboardingState"] == "ONBOARDED")
        #expect(package["operationalState"] == "ENABLED")
        #expect(package["userDefinedData"]?.dictionary?["site"] == "1")
        let vnfdID = try #require(onboarded.values["vnfd_id"]?.string)
        #expect(vnfdID == package["vnfdId"]?.string)

        #expect(!(try await ModuleHarness.run(VNFPackageModule.self, base)).changed)

        let disabled = try await ModuleHarness.run(VNFPackageModule.self, base.with(["operational_state": "disabled"]))
        #expect(disabled.changed)
        #expect(disabled.resource("vnf_package")?["operationalState"] == "DISABLED")
        _ = try await ModuleHarness.run(VNFPackageModule.self, base)

        // SOL003 instance resource: create and delete work without Heat or Nova compute, but Tacker's v1
        // API places every instance on the default VIM, so one must be registered.
        let temporaryVIM = try await Self.ensureDefaultVIM()
        var failure: (any Error)?
        do { try await Self.instanceResourceLifecycle(vnfdID: vnfdID) } catch { failure = error }
        if let temporaryVIM { await Self.removeVIM(temporaryVIM) }
        if let failure { throw failure }

        let info = try await ModuleHarness.run(VNFPackageInfoModule.self, Self.cloud.with(["vnfd_id": .string(vnfdID)]))
        #expect(info.values["vnf_packages"]?.array?.count == 1)

        let deleted = try await ModuleHarness.run(VNFPackageModule.self, base.with(["state": "absent"]))
        #expect(deleted.changed)
        #expect(try await PackageAPI.find(name) == nil)
    }

    /// Creates an instance of the VNFD, checks idempotence, deletes it.
    static func instanceResourceLifecycle(vnfdID: String) async throws {
        let instanceName = TestBed.uniqueName("vnf")
        let instance = cloud.with(["name": .string(instanceName), "vnfd_id": .string(vnfdID)])
        let created = try await ModuleHarness.run(VNFInstanceModule.self, instance)
        #expect(created.changed)
        #expect(created.resource("vnf_instance")?["instantiationState"] == "NOT_INSTANTIATED")
        #expect(!(try await ModuleHarness.run(VNFInstanceModule.self, instance)).changed)
        let removed = try await ModuleHarness.run(VNFInstanceModule.self, instance.with(["state": "absent"]))
        #expect(removed.changed)
    }

    /// Registers a default VIM when Tacker has none (the onboarding playbook may not have run yet);
    /// returns its name so the test removes what it added.
    static func ensureDefaultVIM() async throws -> String? {
        let info = try await ModuleHarness.run(TackerVIMInfoModule.self, cloud)
        let vims = info.values["vims"]?.array ?? []
        guard !vims.contains(where: { $0.dictionary?["is_default"] == true }) else { return nil }
        let name = TestBed.uniqueName("default-vim")
        _ = try await ModuleHarness.run(
            TackerVIMModule.self, cloud.with(["name": .string(name), "vim_cloud": "devstack-admin", "is_default": true]))
        return name
    }

    static func removeVIM(_ name: String) async {
        _ = try? await ModuleHarness.run(TackerVIMModule.self, cloud.with(["name": .string(name), "state": "absent"]))
    }

    /// A package tosca-parser rejects (wrong occurrences) fails with Tacker's own words and leaves nothing.
    @Test func malformedPackageIsRejectedByTacker() async throws {
        let name = TestBed.uniqueName("bad")
        let source = try Self.packageCopy(breakOccurrences: true)
        let arguments = Self.cloud.with(["name": .string(name), "src": .string(source), "timeout": 120])
        do {
            _ = try await ModuleHarness.run(VNFPackageModule.self, arguments)
            Issue.record("Tacker onboarded a package whose VNFD tosca-parser rejects")
        } catch let error as OpenStackModuleError {
            #expect(error.message.contains("could not onboard") || error.message.contains("timeout"))
        }
        #expect(try await PackageAPI.find(name) == nil)
    }
}

extension PackageAPI {
    /// The package the module manages under `name`, read with the test run's session.
    static func find(_ name: String) async throws -> ValueDictionary? {
        let config = try CloudConfigLoader(environment: TestBed.environment)
            .resolve(arguments: ValueDictionary([("cloud", "devstack-admin")]))
        let session = SessionRegistry.shared(in: ModuleHarness.services).session(for: config)
        return try await PackageAPI(session: session).find(named: name)
    }
}

