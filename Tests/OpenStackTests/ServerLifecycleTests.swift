import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// A server that really boots (nova-compute with the fake virt driver, `Scripts/testbed up --compute`):
/// `wait` until ACTIVE, a fixed address on its network and a floating IP from `public` (`auto_ip`),
/// metadata changed on the running server, and delete with `wait` and `delete_ips`.
@Suite(
    .enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"),
    .enabled("needs Nova compute on the test bed (Scripts/testbed up --compute)") { await TestBed.hasCompute() },
    .serialized)
struct ServerLifecycleTests {
    static let cloud = ImageAndComputeModuleTests.cloud

    /// The addresses of one type (`fixed`, `floating`) in a server dict's `addresses`.
    static func addresses(_ server: ValueDictionary, type: String) -> [String] {
        (server["addresses"]?.dictionary?.values ?? []).flatMap { $0.array ?? [] }.compactMap { entry in
            entry.dictionary?["OS-EXT-IPS:type"]?.string == type ? entry.dictionary?["addr"]?.string : nil
        }
    }

    @Test func serverBootsToActiveWithAFloatingIPAndIsUpdatedAndDeleted() async throws {
        let imageName = TestBed.uniqueName("boot-img")
        let file = try ImageAndComputeModuleTests.rawImageFile(imageName)
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await ModuleHarness.run(
            ImageModule.self, Self.cloud.with(["name": .string(imageName), "filename": .string(file), "disk_format": "raw"]))
        let name = TestBed.uniqueName("boot")
        let base = Self.cloud.with([
            "name": .string(name), "image": .string(imageName), "flavor": "m1.tiny", "network": "private",
            "auto_ip": true, "wait": true, "timeout": 180, "metadata": .object(["role": "web"]),
        ])

        let created = try await ModuleHarness.run(ServerModule.self, base)
        #expect(created.changed)
        let server = try #require(created.resource("server"))
        #expect(DocumentedKeys.covers(DocumentedKeys.server, server))
        #expect(server["status"] == "ACTIVE")
        #expect(Self.addresses(server, type: "fixed").count == 1)
        let floating = Self.addresses(server, type: "floating")
        #expect(floating.count == 1)
        #expect(try await ModuleHarness.run(ServerModule.self, base).changed == false)

        let tagged = base.with(["metadata": "role=web,site=1"])
        #expect(try await ModuleHarness.run(ServerModule.self, tagged, check: true).changed)
        let updated = try await ModuleHarness.run(ServerModule.self, tagged)
        #expect(updated.changed)
        #expect(updated.resource("server")?["metadata"] == .object(["role": "web", "site": "1"]))
        #expect(try await ModuleHarness.run(ServerModule.self, tagged).changed == false)

        let absent = base.with(["state": "absent", "delete_ips": true])
        #expect(try await ModuleHarness.run(ServerModule.self, absent).changed)
        #expect(try await ModuleHarness.run(ServerModule.self, absent).changed == false)
        let session = try TestBed.adminSession()
        let left = try await ResourceAPI(session: session, service: "network")
            .list("/floatingips", key: "floatingips", query: [("floating_ip_address", floating.first ?? "")])
        #expect(left.isEmpty, "the floating IP was released with the server")
        _ = try await ModuleHarness.run(ImageModule.self, Self.cloud.with(["name": .string(imageName), "state": "absent"]))
    }
}
