import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// A real SOL003 instantiation: Tacker → heat-translator → a Heat stack → Nova servers (the test bed's fake
/// virt driver). Runs only where the test bed has Heat and compute (`Scripts/testbed up --compute --heat`),
/// found out from the cloud itself: an `orchestration` endpoint in Keystone's catalog and an enabled,
/// running nova-compute service.
@Suite(
    .enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"),
    .enabled("needs Heat and Nova compute on the test bed (Scripts/testbed up --compute --heat)") {
        await TestBed.hasHeatAndCompute()
    },
    .serialized)
struct TackerInstantiationTests {
    static let cloud = TackerModuleTests.cloud

    static func session() throws -> CloudSession { try TestBed.adminSession() }

    /// The Heat stacks Tacker made for an instance: Tacker 16 names the stack after the instance (older
    /// releases `<name>_<instance id>` or `vnflcm_<instance id>`).
    static func stacks(name: String, id: String) async throws -> [ValueDictionary] {
        let response = try await session().send("orchestration", "GET", "/stacks")
        let stacks = try response.json().dictionary?["stacks"]?.array?.compactMap(\.dictionary) ?? []
        return stacks.filter { $0["stack_name"]?.string == name || $0["stack_name"]?.string?.contains(id) == true }
    }

    /// Nova's view of a server: its status, or nil once it is gone.
    static func serverStatus(_ id: String) async throws -> String? {
        let response = try await session().send("compute", "GET", "/servers/\(id)", expecting: [200, 404])
        guard response.status == 200 else { return nil }
        return try response.json().dictionary?["server"]?.dictionary?["status"]?.string
    }

    /// The instance's LCM operation occurrences.
    static func operations(of instanceID: String) async throws -> [ValueDictionary] {
        let response = try await session().send(
            PackageAPI.service, "GET", "/vnflcm/v1/vnf_lcm_op_occs", query: [("filter", "(eq,vnfInstanceId,\(instanceID))")])
        return try response.json().array?.compactMap(\.dictionary) ?? []
    }

    /// Onboards a fresh-VNFD copy of the repository's web-server package, instantiates it (Glance image,
    /// Heat stack, two Nova servers), re-runs it unchanged, terminates and deletes it, deletes the package;
    /// whatever fails, the instance, the package and a VIM the test registered are removed.
    @Test func webServerPackageInstantiatesAndTerminates() async throws {
        let packageName = TestBed.uniqueName("inst-pkg")
        let instanceName = TestBed.uniqueName("web")
        let package = Self.cloud.with(["name": .string(packageName), "src": .string(try TackerModuleTests.packageCopy())])
        let temporaryVIM = try await TackerModuleTests.ensureDefaultVIM()
        // The instance goes to a VIM of this cloud, named in the request: the default VIM may be another
        // cloud's (the onboarding playbook registers one at 127.0.0.1:5000, another test bed beside a
        // second one).
        let vimName = TestBed.uniqueName("inst-vim")
        var failure: (any Error)?
        do {
            let vim = try await ModuleHarness.run(
                TackerVIMModule.self, Self.cloud.with(["name": .string(vimName), "vim_cloud": "devstack-admin"]))
            let vimID = try #require(vim.resource("vim")?["id"]?.string)
            let onboarded = try await ModuleHarness.run(VNFPackageModule.self, package)
            #expect(onboarded.warnings.isEmpty)
            let vnfdID = try #require(onboarded.values["vnfd_id"]?.string)
            try await Self.instantiateAndTerminate(vnfdID: vnfdID, instanceName: instanceName, vimID: vimID)
        } catch {
            failure = error
        }
        // Clean up in the order Tacker allows: instance (terminated first), package, VIM.
        if !(await Self.removeInstance(instanceName)) { Issue.record("could not remove VNF instance \(instanceName)") }
        if (try? await ModuleHarness.run(VNFPackageModule.self, package.with(["state": "absent"]))) == nil {
            Issue.record("could not remove VNF package \(packageName)")
        }
        await TackerModuleTests.removeVIM(vimName)
        if let temporaryVIM { await TackerModuleTests.removeVIM(temporaryVIM) }
        if let failure { throw failure }
        #expect(try await PackageAPI.find(packageName) == nil)
    }

    /// Removes the instance whatever state a failed test left it in: an LCM operation still running is
    /// waited for, one that ended FAILED_TEMP is marked failed (Tacker then allows the delete).
    static func removeInstance(_ name: String) async -> Bool {
        let arguments = cloud.with(["name": .string(name), "state": "absent", "timeout": 300])
        for _ in 0..<60 {
            if (try? await ModuleHarness.run(VNFInstanceModule.self, arguments)) != nil { return true }
            if let response = try? await session().send(PackageAPI.service, "GET", VNFInstanceModule.root),
                let id = (try? response.json())?.array?.compactMap(\.dictionary).first(where: { $0["vnfInstanceName"]?.string == name })?["id"]?.string
            {
                for operation in (try? await operations(of: id)) ?? [] where operation["operationState"] == "FAILED_TEMP" {
                    if let op = operation["id"]?.string {
                        _ = try? await session().send(PackageAPI.service, "POST", "/vnflcm/v1/vnf_lcm_op_occs/\(op)/fail", expecting: [200, 202, 409])
                    }
                }
            }
            try? await Task.sleep(nanoseconds: 5_000_000_000)
        }
        return false
    }

    static func instantiateAndTerminate(vnfdID: String, instanceName: String, vimID: String) async throws {
        let arguments = cloud.with([
            "name": .string(instanceName), "vnfd_id": .string(vnfdID), "state": "instantiated", "timeout": 600,
            "vim_id": .string(vimID),
        ])
        let started = Date()
        let instantiated = try await ModuleHarness.run(VNFInstanceModule.self, arguments)
        let seconds = Int(Date().timeIntervalSince(started))
        #expect(instantiated.changed)
        let instance = try #require(instantiated.resource("vnf_instance"))
        let id = try #require(instance["id"]?.string)
        #expect(instance["instantiationState"] == "INSTANTIATED")
        print("VNF instance \(instanceName) INSTANTIATED in \(seconds) s")

        let operation = try #require(try await operations(of: id).first { $0["operation"] == "INSTANTIATE" })
        #expect(operation["operationState"] == "COMPLETED")

        let created = try await stacks(name: instanceName, id: id)
        #expect(created.count == 1)
        #expect(created.first?["stack_status"] == "CREATE_COMPLETE")

        let resources = instance["instantiatedVnfInfo"]?.dictionary?["vnfcResourceInfo"]?.array?.compactMap(\.dictionary) ?? []
        let servers = resources.compactMap { $0["computeResource"]?.dictionary?["resourceId"]?.string }
        #expect(Set(resources.compactMap { $0["vduId"]?.string }) == ["VDU1", "VDU2"])
        #expect(servers.count == 2)
        for server in servers { #expect(try await serverStatus(server) == "ACTIVE") }

        let again = try await ModuleHarness.run(VNFInstanceModule.self, arguments)
        #expect(!again.changed)
        #expect(again.resource("vnf_instance")?["instantiationState"] == "INSTANTIATED")

        let removed = try await ModuleHarness.run(VNFInstanceModule.self, arguments.with(["state": "absent"]))
        #expect(removed.changed)  // the module followed TERMINATE to COMPLETED, then deleted the instance
        #expect(!(try await ModuleHarness.run(VNFInstanceModule.self, arguments.with(["state": "absent"]))).changed)
        // Terminate took the stack and with it the servers.
        #expect(try await stacks(name: instanceName, id: id).allSatisfy { $0["stack_status"] == "DELETE_COMPLETE" })
        for server in servers { #expect(try await serverStatus(server) == nil) }
    }
}
