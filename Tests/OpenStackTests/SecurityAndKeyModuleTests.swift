import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// Security groups, their rules and keypairs against the test bed's real Neutron and Nova.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"))
struct SecurityAndKeyModuleTests {
    static let cloud: [String: Value] = ["cloud": "devstack-admin"]

    @Test func securityGroupRulesAreAuthoritativeWhenGiven() async throws {
        let name = TestBed.uniqueName("sg")
        let ssh: Value = .object(["protocol": "tcp", "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0"])
        let icmp: Value = .object(["protocol": "icmp", "remote_ip_prefix": "0.0.0.0/0"])
        let base = Self.cloud.with(["name": .string(name), "description": "web", "security_group_rules": [ssh]])
        let created = try await ModuleHarness.run(SecurityGroupModule.self, base)
        #expect(created.changed)
        let group = try #require(created.resource("security_group"))
        #expect(DocumentedKeys.covers(DocumentedKeys.securityGroup, group))
        // Neutron's two default egress rules are not listed, so they go: only the SSH rule remains.
        #expect(group["security_group_rules"]?.array?.count == 1)
        #expect(try await ModuleHarness.run(SecurityGroupModule.self, base).changed == false)

        let both = base.with(["security_group_rules": [ssh, icmp], "description": "web and ping"])
        let predicted = try await ModuleHarness.run(SecurityGroupModule.self, both, check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.contains { $0.after.contains("protocol=\"icmp\"") })
        #expect(try await ModuleHarness.run(SecurityGroupModule.self, base).changed == false)
        let updated = try await ModuleHarness.run(SecurityGroupModule.self, both)
        #expect(updated.changed)
        #expect(updated.resource("security_group")?["security_group_rules"]?.array?.count == 2)
        #expect(updated.resource("security_group")?["description"] == "web and ping")
        // Without `security_group_rules` the rules are not managed.
        #expect(try await ModuleHarness.run(SecurityGroupModule.self, Self.cloud.with(["name": .string(name), "description": "web and ping"])).changed == false)

        #expect(try await ModuleHarness.run(SecurityGroupModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(SecurityGroupModule.self, base.with(["state": "absent"])).changed == false)
    }

    @Test func securityGroupRuleIsFoundByItsPrototype() async throws {
        let group = TestBed.uniqueName("sgr")
        _ = try await ModuleHarness.run(SecurityGroupModule.self, Self.cloud.with(["name": .string(group)]))
        let base = Self.cloud.with([
            "security_group": .string(group), "protocol": "tcp", "port_range_min": 80, "port_range_max": 80,
            "remote_ip_prefix": "0.0.0.0/0",
        ])
        let predicted = try await ModuleHarness.run(SecurityGroupRuleModule.self, base, check: true, diff: true)
        #expect(predicted.changed)
        #expect(predicted.diffs.first?.after.contains("port_range_min=80") == true)
        let created = try await ModuleHarness.run(SecurityGroupRuleModule.self, base)
        #expect(created.changed)
        let rule = try #require(created.resource("rule"))
        #expect(DocumentedKeys.covers(DocumentedKeys.securityGroupRule, rule))
        #expect(rule["ether_type"] == "IPv4")
        #expect(rule["direction"] == "ingress")
        let again = try await ModuleHarness.run(SecurityGroupRuleModule.self, base)
        #expect(!again.changed)
        #expect(again.resource("rule")?["id"] == rule["id"])

        #expect(try await ModuleHarness.run(SecurityGroupRuleModule.self, base.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(SecurityGroupRuleModule.self, base.with(["state": "absent"])).changed == false)

        // A whole TCP range spelled -1/-1 matches a rule without ports, and so does 1–65535 (ansible#19610).
        let anyTCP = Self.cloud.with(["security_group": .string(group), "protocol": "tcp", "port_range_min": -1, "port_range_max": -1])
        let anyPort = try await ModuleHarness.run(SecurityGroupRuleModule.self, anyTCP)
        #expect(anyPort.changed)
        #expect(anyPort.resource("rule")?["port_range_min"] == Value.none)
        #expect(try await ModuleHarness.run(SecurityGroupRuleModule.self, anyTCP).changed == false)
        #expect(try await ModuleHarness.run(SecurityGroupRuleModule.self, anyTCP.with(["port_range_min": 1, "port_range_max": 65535])).changed == false)
        #expect(try await ModuleHarness.run(SecurityGroupRuleModule.self, anyTCP.with(["state": "absent"])).changed)
        _ = try await ModuleHarness.run(SecurityGroupModule.self, Self.cloud.with(["name": .string(group), "state": "absent"]))
    }

    @Test func keypairFromKeyFileGeneratedAndReplaced() async throws {
        let name = TestBed.uniqueName("kp")
        let directory = NSTemporaryDirectory() + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let firstKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGEEVMjKyUh+mIrnShRA+Zbml49MuC0eHde1TeqG3M2V first"
        let secondKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPBPsC8Cw5SHyn1Ls1MuwakPMGvUVBBnUHUnvdtZ0zzd second"
        try (firstKey + "\n").write(toFile: directory + "/key.pub", atomically: true, encoding: .utf8)
        let base = Self.cloud.with(["name": .string(name), "public_key_file": .string(directory + "/key.pub")])

        #expect(try await ModuleHarness.run(KeypairModule.self, base, check: true).changed)
        let created = try await ModuleHarness.run(KeypairModule.self, base)
        #expect(created.changed)
        let keypair = try #require(created.resource("keypair"))
        #expect(DocumentedKeys.covers(DocumentedKeys.keypair, keypair))
        #expect(keypair["private_key"] == Value.none)
        #expect(keypair["type"] == "ssh")
        // The key file's trailing newline is not a different key.
        #expect(try await ModuleHarness.run(KeypairModule.self, base).changed == false)

        let other = Self.cloud.with(["name": .string(name), "public_key": .string(secondKey)])
        await #expect(throws: OpenStackModuleError.self) { try await ModuleHarness.run(KeypairModule.self, other) }
        let replaced = try await ModuleHarness.run(KeypairModule.self, other.with(["state": "replace"]))
        #expect(replaced.changed)
        #expect(replaced.resource("keypair")?["public_key"] == .string(secondKey))
        #expect(try await ModuleHarness.run(KeypairModule.self, other.with(["state": "replace"])).changed == false)
        #expect(try await ModuleHarness.run(KeypairModule.self, other.with(["state": "absent"])).changed)

        let generatedName = TestBed.uniqueName("kpgen")
        let generated = try await ModuleHarness.run(KeypairModule.self, Self.cloud.with(["name": .string(generatedName)]))
        #expect(generated.changed)
        #expect(generated.resource("keypair")?["private_key"]?.string?.contains("PRIVATE KEY") == true)
        let reread = try await ModuleHarness.run(KeypairModule.self, Self.cloud.with(["name": .string(generatedName)]))
        #expect(!reread.changed)
        #expect(reread.resource("keypair")?["private_key"] == Value.none)
        #expect(try await ModuleHarness.run(KeypairModule.self, Self.cloud.with(["name": .string(generatedName), "state": "absent"])).changed)
        #expect(try await ModuleHarness.run(KeypairModule.self, Self.cloud.with(["name": .string(generatedName), "state": "absent"])).changed == false)
    }
}
