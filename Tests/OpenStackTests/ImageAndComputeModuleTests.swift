import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// Images, flavors and servers against the test bed's real Glance and Nova API. Serialized: the test
/// bed's Glance keeps its catalogue in sqlite and answers concurrent uploads with "database is locked".
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"), .serialized)
struct ImageAndComputeModuleTests {
    static let cloud: [String: Value] = ["cloud": "devstack-admin"]

    /// A 1 MiB raw image file (Glance checks that the data matches `disk_format`).
    static func rawImageFile(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + name + ".raw"
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func imageUploadVisibilityPropertiesAndDelete() async throws {
        let name = TestBed.uniqueName("img")
        let file = try Self.rawImageFile(name)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let base = Self.cloud.with([
            "name": .string(name), "filename": .string(file), "disk_format": "raw", "container_format": "bare",
            "visibility": "public", "properties": .object(["os_distro": "cirros"]),
        ])
        #expect(try await ModuleHarness.run(ImageModule.self, base, check: true).changed)
        let created = try await ModuleHarness.run(ImageModule.self, base)
        #expect(created.changed)
        let image = try #require(created.resource("image"))
        #expect(DocumentedKeys.covers(DocumentedKeys.image, image))
        #expect(image["status"] == "active")
        #expect(image["visibility"] == "public")
        #expect(image["size"] == .int(1 << 20))
        #expect(image["os_distro"] == "cirros")
        #expect(try await ModuleHarness.run(ImageModule.self, base).changed == false)
        // `is_public` left at its default no longer makes a public image private.
        let withoutVisibility = base.filter { $0.key != "visibility" }
        #expect(try await ModuleHarness.run(ImageModule.self, withoutVisibility).changed == false)

        let changed = base.with(["properties": .object(["os_distro": "ubuntu", "hw_disk_bus": "virtio"]), "min_ram": 64])
        let predicted = try await ModuleHarness.run(ImageModule.self, changed, check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains("min_ram: 64") == true)
        #expect(try await ModuleHarness.run(ImageModule.self, base).changed == false)
        let updated = try await ModuleHarness.run(ImageModule.self, changed)
        #expect(updated.changed)
        #expect(updated.resource("image")?["os_distro"] == "ubuntu")
        #expect(updated.resource("image")?["hw_disk_bus"] == "virtio")
        #expect(updated.resource("image")?["min_ram"] == 64)
        #expect(try await ModuleHarness.run(ImageModule.self, changed).changed == false)

        #expect(try await ModuleHarness.run(ImageModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(ImageModule.self, base.with(["state": "absent"])).changed == false)
    }

    @Test func flavorExtraSpecsAndReplacement() async throws {
        let name = TestBed.uniqueName("flv")
        let base = Self.cloud.with(["name": .string(name), "ram": 256, "vcpus": 1, "disk": 1])
        let created = try await ModuleHarness.run(ComputeFlavorModule.self, base.with(["extra_specs": .object(["hw:cpu_policy": "shared"])]))
        #expect(created.changed)
        let flavor = try #require(created.resource("flavor"))
        #expect(DocumentedKeys.covers(DocumentedKeys.flavor, flavor))
        #expect(flavor["extra_specs"] == .object(["hw:cpu_policy": "shared"]))
        #expect(try await ModuleHarness.run(ComputeFlavorModule.self, base).changed == false)

        let specs = base.with(["extra_specs": .object(["hw:mem_page_size": "small"])])
        #expect(try await ModuleHarness.run(ComputeFlavorModule.self, specs, check: true).changed)
        let updated = try await ModuleHarness.run(ComputeFlavorModule.self, specs)
        #expect(updated.changed)
        #expect(updated.resource("flavor")?["extra_specs"] == .object(["hw:mem_page_size": "small"]))
        #expect(updated.resource("flavor")?["id"] == flavor["id"])
        let bigger = try await ModuleHarness.run(ComputeFlavorModule.self, specs.with(["ram": 512]))
        #expect(bigger.changed)
        #expect(bigger.resource("flavor")?["ram"] == 512)
        #expect(bigger.resource("flavor")?["extra_specs"] == .object(["hw:mem_page_size": "small"]))
        #expect(try await ModuleHarness.run(ComputeFlavorModule.self, specs.with(["ram": 512])).changed == false)
        #expect(try await ModuleHarness.run(ComputeFlavorModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(ComputeFlavorModule.self, base.with(["state": "absent"])).changed == false)
    }

    /// The test bed runs the Nova API only (no scheduler, conductor or compute), so a server is accepted
    /// and stays in BUILD: creation without waiting, idempotent re-run, check mode and delete work; Nova
    /// refuses metadata updates while a server is building, so the update is only predicted.
    @Test func serverCreateUpdateAndDeleteWithoutWaiting() async throws {
        let imageName = TestBed.uniqueName("srv-img")
        let file = try Self.rawImageFile(imageName)
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await ModuleHarness.run(
            ImageModule.self, Self.cloud.with(["name": .string(imageName), "filename": .string(file), "disk_format": "raw"]))
        let network = TestBed.uniqueName("srv-net")
        _ = try await ModuleHarness.run(NetworkModule.self, Self.cloud.with(["name": .string(network)]))
        _ = try await ModuleHarness.run(
            SubnetModule.self, Self.cloud.with(["name": .string(network), "network": .string(network), "cidr": "10.83.0.0/24"]))
        let name = TestBed.uniqueName("srv")
        let base = Self.cloud.with([
            "name": .string(name), "image": .string(imageName), "flavor": "m1.tiny", "wait": false, "auto_ip": false,
            "network": .string(network),
            "metadata": .object(["role": "web"]),
        ])
        await #expect(throws: OpenStackModuleError.self) {
            try await ModuleHarness.run(ServerModule.self, base.with(["auto_ip": true]))
        }
        #expect(try await ModuleHarness.run(ServerModule.self, base, check: true).changed)
        let created = try await ModuleHarness.run(ServerModule.self, base)
        #expect(created.changed)
        let server = try #require(created.resource("server"))
        #expect(DocumentedKeys.covers(DocumentedKeys.server, server))
        #expect(server["status"] == "BUILD")
        #expect(server["metadata"] == .object(["role": "web"]))
        #expect(try await ModuleHarness.run(ServerModule.self, base).changed == false)
        let predicted = try await ModuleHarness.run(ServerModule.self, base.with(["metadata": "role=web,site=1"]), check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains(#""site": "1""#) == true)
        #expect(try await ModuleHarness.run(ServerModule.self, base).changed == false)
        #expect(try await ModuleHarness.run(ServerModule.self, base.with(["state": "absent", "wait": true])).changed)
        #expect(try await ModuleHarness.run(ServerModule.self, base.with(["state": "absent"])).changed == false)
        _ = try await ModuleHarness.run(ImageModule.self, Self.cloud.with(["name": .string(imageName), "state": "absent"]))
        _ = try await ModuleHarness.run(SubnetModule.self, Self.cloud.with(["name": .string(network), "state": "absent"]))
        _ = try await ModuleHarness.run(NetworkModule.self, Self.cloud.with(["name": .string(network), "state": "absent"]))
    }
}
